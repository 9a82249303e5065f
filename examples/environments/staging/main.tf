# Staging: instance OIDC against the staging IdP, and the team module for
# the workspaces that exist on the staging ToolJet.

terraform {
  required_version = ">= 1.11"

  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}

# TOOLJET_HOST, TOOLJET_EMAIL and TOOLJET_PASSWORD point at staging.
provider "tooljet" {}

variable "oidc_client_secret" {
  description = "Client secret of the staging IdP application."
  type        = string
  default     = "staging-client-secret"
  sensitive   = true
  ephemeral   = true
}

resource "tooljet_instance_oidc" "sso" {
  name                     = "Staging IdP"
  client_id                = "tooljet-staging"
  client_secret_wo         = var.oidc_client_secret
  client_secret_wo_version = 1
  well_known_url           = "https://idp.example.com/staging/.well-known/openid-configuration"

  group_sync = {
    group_mapping = { "Everyone" = "end-user" }
  }
}

module "marketing" {
  source = "../../modules/team-group-sync"

  workspace_slug = "marketing"
  team_mappings = {
    "Campaign Managers" = "marketing"
  }
}
