data "tooljet_workspace" "engineering" {
  slug = "engineering"
}

resource "tooljet_workspace_group_sync" "engineering" {
  workspace_id = data.tooljet_workspace.engineering.id
}

# Adds one entry to the mapping that the workspace inherits from the instance.
# Referencing the workspace_id of tooljet_workspace_group_sync makes Terraform
# add the workspace to the group sync table first.
resource "tooljet_group_mapping" "developers" {
  workspace_id  = tooljet_workspace_group_sync.engineering.workspace_id
  idp_group     = "Developers"
  tooljet_group = "developers"
}
