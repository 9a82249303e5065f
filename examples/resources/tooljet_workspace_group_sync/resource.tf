data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

data "tooljet_workspace" "sales" {
  slug = "sales"
}

# The marketing workspace inherits the instance claim name and group mapping.
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}

# The sales workspace reads another claim and replaces the instance mapping
# with its own.
resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = data.tooljet_workspace.sales.id
  claim_name   = "sales_groups"
  group_mapping = {
    "Sales Team"     = "sales"
    "Sales Managers" = "admin"
  }
}
