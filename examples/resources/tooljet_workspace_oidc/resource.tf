variable "okta_client_secret" {
  description = "Client secret that Okta issued for the marketing workspace."
  type        = string
  sensitive   = true
  ephemeral   = true
}

data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

resource "tooljet_workspace_oidc" "okta" {
  workspace_id   = data.tooljet_workspace.marketing.id
  name           = "Okta"
  client_id      = "0oa1example3Marketing"
  well_known_url = "https://example.okta.com/.well-known/openid-configuration"

  # The write-only secret never reaches the state or a plan. Increase the
  # version to send a new secret.
  client_secret_wo         = var.okta_client_secret
  client_secret_wo_version = 1

  group_sync = {
    claim_name = "groups"
    group_mapping = {
      "Marketing Team" = "marketing"
      "Team Leads"     = "admin"
    }
  }
}
