# Runs against a ToolJet (or the emulator) given by TOOLJET_HOST,
# TOOLJET_EMAIL and TOOLJET_PASSWORD. The tests change that instance's SSO
# settings, so point them at a test instance.

run "setup" {
  module {
    source = "./tests/setup"
  }
}

run "inheriting_workspace_with_team_mappings" {
  variables {
    workspace_slug = "marketing"
    team_mappings = {
      "Campaign Managers" = "marketing"
      "Brand Team"        = "builder"
    }
  }

  assert {
    condition     = tooljet_workspace_group_sync.this.enabled
    error_message = "Group sync should be on for the workspace."
  }

  assert {
    condition     = tooljet_workspace_group_sync.this.claim_name == null
    error_message = "The workspace should inherit the instance claim name."
  }

  assert {
    condition     = output.team_idp_groups == tolist(["Brand Team", "Campaign Managers"])
    error_message = "The module should create one mapping per team entry."
  }
}

run "claim_name_override" {
  variables {
    workspace_slug = "marketing"
    claim_name     = "roles"
    team_mappings  = { "Campaign Managers" = "marketing" }
  }

  assert {
    condition     = tooljet_workspace_group_sync.this.effective_claim_name == "roles"
    error_message = "ToolJet should apply the workspace's own claim name."
  }
}

run "padded_idp_group_is_rejected" {
  command = plan

  variables {
    workspace_slug = "marketing"
    team_mappings  = { " Padded Group" = "marketing" }
  }

  expect_failures = [var.team_mappings]
}
