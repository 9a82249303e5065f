variable "workspace_slug" {
  description = "Slug of the ToolJet workspace, as in its URL."
  type        = string
}

variable "enabled" {
  description = "Whether group sync is on for the workspace."
  type        = bool
  default     = true
}

variable "claim_name" {
  description = "The workspace's own claim name, or null to inherit the instance claim name."
  type        = string
  default     = null
}

variable "team_mappings" {
  description = <<-EOT
    IdP groups of the team mapped to ToolJet groups of the workspace. They are added to the
    instance mapping that the workspace inherits, one tooljet_group_mapping per entry, so each
    team can own its entries.
  EOT
  type        = map(string)
  default     = {}

  # The provider rejects these names too, but only once the resources are
  # planned; the module reports them on the variable.
  validation {
    condition     = alltrue([for name in keys(var.team_mappings) : name != "" && trimspace(name) == name])
    error_message = "Every IdP group name in team_mappings must be non-empty and have no leading or trailing whitespace, as the identity provider sends it."
  }
}
