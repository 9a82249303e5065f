# A ToolJet instance has one OIDC configuration, and its import ID is always "instance".
import {
  to = tooljet_instance_oidc.example
  id = "instance"
}
