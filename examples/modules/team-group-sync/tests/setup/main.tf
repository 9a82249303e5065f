# Instance OIDC with group sync, which the module's workspaces inherit.
terraform {
  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}

resource "tooljet_instance_oidc" "test" {
  name           = "Test IdP"
  client_id      = "module-test"
  client_secret  = "module-test-secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    group_mapping = { "Everyone" = "end-user" }
  }
}
