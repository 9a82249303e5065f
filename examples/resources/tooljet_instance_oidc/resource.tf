variable "oidc_client_secret" {
  description = "Client secret that the identity provider issued for ToolJet."
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "tooljet_instance_oidc" "example" {
  name           = "Okta"
  client_id      = "0oa1example2ToolJet"
  well_known_url = "https://example.okta.com/.well-known/openid-configuration"

  # The write-only secret never reaches the state or a plan. Increase the
  # version to send a new secret.
  client_secret_wo         = var.oidc_client_secret
  client_secret_wo_version = 1

  group_sync = {
    claim_name = "groups"
    group_mapping = {
      "Engineering" = "builder"
      "IT Admins"   = "admin"
      "Everyone"    = "end-user"
    }
  }
}
