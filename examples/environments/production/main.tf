# Production: the same module for more workspaces, with an override for
# sales and engineering switched off until its IdP groups are ready.

terraform {
  required_version = ">= 1.11"

  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}

# TOOLJET_HOST, TOOLJET_EMAIL and TOOLJET_PASSWORD point at production.
provider "tooljet" {}

variable "oidc_client_secret" {
  description = "Client secret of the production IdP application."
  type        = string
  default     = "production-client-secret"
  sensitive   = true
  ephemeral   = true
}

resource "tooljet_instance_oidc" "sso" {
  name                     = "Company IdP"
  client_id                = "tooljet-production"
  client_secret_wo         = var.oidc_client_secret
  client_secret_wo_version = 1
  well_known_url           = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    group_mapping = provider::tooljet::parse_group_mapping(
      "Everyone -> end-user, ToolJet Admins -> admin"
    )
  }
}

module "marketing" {
  source = "../../modules/team-group-sync"

  workspace_slug = "marketing"
  team_mappings = {
    "Campaign Managers" = "marketing"
    "Brand Team"        = "builder"
  }
}

module "sales" {
  source = "../../modules/team-group-sync"

  workspace_slug = "sales"
  claim_name     = "roles"
  team_mappings = {
    "Sales EMEA" = "sales"
  }
}

module "engineering" {
  source = "../../modules/team-group-sync"

  workspace_slug = "engineering"
  enabled        = false
  team_mappings = {
    "Platform Engineers" = "developers"
  }
}
