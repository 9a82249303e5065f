# The import ID is the workspace ID or the workspace slug.
terraform import tooljet_workspace_group_sync.marketing marketing
