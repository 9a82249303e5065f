# Instance-level OpenID Connect with group sync. `make demo` applies this
# configuration to the ToolJet API emulator, and it works unchanged against a
# real ToolJet.

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
  # The text form is convenient for ordinary names. A group name that
  # contains "," or "->" can only be written as a map entry.
  group_mapping = merge(
    provider::tooljet::parse_group_mapping(
      "Marketing Team -> marketing, Sales -> sales, Everyone -> end-user"
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

output "oidc_enabled" {
  description = "Whether users can sign in to ToolJet with the identity provider."
  value       = tooljet_instance_oidc.sso.enabled
}

output "group_mapping" {
  description = "IdP group names and the ToolJet groups they map to."
  value       = tooljet_instance_oidc.sso.group_sync.group_mapping
}
