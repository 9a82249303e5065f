# Look a workspace up by exactly one of id, slug or name.
data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

output "marketing_workspace_id" {
  value = data.tooljet_workspace.marketing.id
}
