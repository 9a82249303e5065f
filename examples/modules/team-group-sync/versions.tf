terraform {
  required_version = ">= 1.11"

  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}
