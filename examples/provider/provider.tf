terraform {
  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}

# The provider signs in to ToolJet as a super admin. Each argument that is
# left out is read from an environment variable: host from TOOLJET_HOST,
# email from TOOLJET_EMAIL and password from TOOLJET_PASSWORD. Setting the
# password only in the environment keeps it out of the configuration.
provider "tooljet" {
  host  = "https://tooljet.example.com"
  email = "admin@example.com"
}
