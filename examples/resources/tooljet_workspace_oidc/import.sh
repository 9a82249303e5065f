# The import ID is the workspace ID or slug, a slash, and the provider's
# config ID (the ID of its row in ToolJet's SSO configurations). ToolJet's
# public login settings of the workspace, GET /api/login-configs/<slug>/public,
# list the config_id of each enabled provider.
terraform import tooljet_workspace_oidc.okta marketing/0b5d7e4c-1f3a-4c9e-8a62-2f7d9c1e5b40
