# Configuration of this state fixture, written by
# TestAccUpgrade_writeStateFixture. The test adds a provider block that
# points at its emulator.
terraform {
  required_providers {
    tooljet = {
      source = "registry.terraform.io/tooljet/tooljet"
    }
  }
}

data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

data "tooljet_workspace" "sales" {
  slug = "sales"
}

data "tooljet_workspace" "engineering" {
  slug = "engineering"
}

resource "tooljet_instance_oidc" "sso" {
  name           = "Okta"
  client_id      = "tooljet-client"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  client_secret_wo         = "upgrade-secret"
  client_secret_wo_version = 1

  group_sync = {
    claim_name = "groups"
    group_mapping = provider::tooljet::parse_group_mapping(
      "Everyone -> end-user, ToolJet Admins -> admin"
    )
  }
}

resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id

  depends_on = [tooljet_instance_oidc.sso]
}

resource "tooljet_workspace_group_sync" "sales" {
  workspace_id  = data.tooljet_workspace.sales.id
  claim_name    = "roles"
  group_mapping = { "Sales Team" = "sales" }

  depends_on = [tooljet_instance_oidc.sso]
}

resource "tooljet_group_mapping" "campaign_managers" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Campaign Managers"
  tooljet_group = "marketing"
}

resource "tooljet_workspace_oidc" "engineering" {
  workspace_id   = data.tooljet_workspace.engineering.id
  name           = "Engineering IdP"
  client_id      = "engineering-client"
  client_secret  = "engineering-secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    group_mapping = { "Engineers" = "engineers" }
  }
}
