# Adds one workspace to ToolJet's instance group sync table and gives it the
# team's own group mappings on top of the inherited instance mapping.

data "tooljet_workspace" "this" {
  slug = var.workspace_slug
}

resource "tooljet_workspace_group_sync" "this" {
  workspace_id = data.tooljet_workspace.this.id
  enabled      = var.enabled
  claim_name   = var.claim_name
}

resource "tooljet_group_mapping" "team" {
  for_each = var.team_mappings

  # Referencing the group sync resource makes Terraform add the workspace to
  # the table before it adds the mappings.
  workspace_id  = tooljet_workspace_group_sync.this.workspace_id
  idp_group     = each.key
  tooljet_group = each.value
}
