output "workspace_id" {
  description = "ID of the workspace."
  value       = tooljet_workspace_group_sync.this.workspace_id
}

output "team_idp_groups" {
  description = "The IdP groups this module maps in the workspace."
  value       = sort(keys(tooljet_group_mapping.team))
}
