locals {
  # { "Marketing Team" = "marketing", "Sales Team" = "sales", "Everyone" = "end-user" }
  group_mapping = provider::tooljet::parse_group_mapping(
    "Marketing Team -> marketing, Sales Team -> sales, Everyone -> end-user"
  )
}

output "group_mapping" {
  value = local.group_mapping
}
