# Instance-level OpenID Connect with group sync for three workspaces: one
# inherits the instance settings, one overrides them, one is switched off.
# Each team adds its own mappings. `make demo` applies this configuration to
# the ToolJet API emulator, and it works unchanged against a real ToolJet
# whose workspaces have these slugs and groups.

terraform {
  required_version = ">= 1.11"

  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}

# The provider reads its settings from TOOLJET_HOST, TOOLJET_EMAIL and
# TOOLJET_PASSWORD, so no credentials are in this file.
provider "tooljet" {}

variable "oidc_client_secret" {
  description = "Client secret that the identity provider issued for ToolJet."
  type        = string
  default     = "demo-client-secret"
  sensitive   = true
  # An ephemeral variable is never stored in the state or a plan file.
  ephemeral = true
}

variable "oidc_client_secret_version" {
  description = "Increase this number to send a new oidc_client_secret to ToolJet."
  type        = number
  default     = 1
}

locals {
  # The instance mapping applies in every inheriting workspace, so it maps to
  # the role groups that every workspace has. The text form is convenient
  # for ordinary names; a group name that contains "," or "->" can only be
  # written as a map entry.
  group_mapping = merge(
    provider::tooljet::parse_group_mapping(
      "Everyone -> end-user, ToolJet Admins -> admin, App Builders -> builder"
    ),
    {
      "R&D, EU" = "builder"
    },
  )
}

resource "tooljet_instance_oidc" "sso" {
  name           = "Demo IdP"
  client_id      = "tooljet-demo"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  client_secret_wo         = var.oidc_client_secret
  client_secret_wo_version = var.oidc_client_secret_version

  group_sync = {
    claim_name    = "groups"
    group_mapping = local.group_mapping
  }
}

# Workspaces are looked up by slug, so that no IDs are written by hand.
data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

data "tooljet_workspace" "sales" {
  slug = "sales"
}

data "tooljet_workspace" "engineering" {
  slug = "engineering"
}

# Marketing inherits the instance claim name and mapping, also when they
# change later, and adds its own entries below. effective_group_mapping shows
# what ToolJet applies as of the last refresh, so entries added in the same
# apply appear there after the next refresh.
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}

resource "tooljet_group_mapping" "campaign_managers" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Campaign Managers"
  tooljet_group = "marketing"
}

resource "tooljet_group_mapping" "brand_team" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Brand Team"
  tooljet_group = "builder"
}

# Sales overrides both: its own claim and its own whole mapping.
resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = data.tooljet_workspace.sales.id
  claim_name   = "roles"
  group_mapping = {
    "Sales EMEA"  = "sales"
    "Sales Leads" = "admin"
  }
}

# Engineering stays in the table with its settings, but group sync is off
# for it until enabled is true.
resource "tooljet_workspace_group_sync" "engineering" {
  workspace_id = data.tooljet_workspace.engineering.id
  enabled      = false
}

resource "tooljet_group_mapping" "platform_engineers" {
  workspace_id  = tooljet_workspace_group_sync.engineering.workspace_id
  idp_group     = "Platform Engineers"
  tooljet_group = "developers"
}

output "oidc_enabled" {
  description = "Whether users can sign in to ToolJet with the identity provider."
  value       = tooljet_instance_oidc.sso.enabled
}

output "group_mapping" {
  description = "IdP group names and the ToolJet groups they map to."
  value       = tooljet_instance_oidc.sso.group_sync.group_mapping
}
