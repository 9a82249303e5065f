# A ToolJet instance has one OIDC configuration, and its import ID is always "instance".
terraform import tooljet_instance_oidc.example instance
