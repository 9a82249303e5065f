data "tooljet_workspace" "engineering" {
  slug = "engineering"
}

data "tooljet_groups" "engineering" {
  workspace_id = data.tooljet_workspace.engineering.id
}

# The names that a group mapping for this workspace can use as ToolJet groups.
output "engineering_group_targets" {
  value = concat(
    data.tooljet_groups.engineering.role_groups,
    data.tooljet_groups.engineering.custom_groups,
  )
}
