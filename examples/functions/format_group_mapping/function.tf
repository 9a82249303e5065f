output "group_mapping_text" {
  # "Everyone -> end-user, Marketing Team -> marketing"
  value = provider::tooljet::format_group_mapping({
    "Marketing Team" = "marketing"
    "Everyone"       = "end-user"
  })
}
