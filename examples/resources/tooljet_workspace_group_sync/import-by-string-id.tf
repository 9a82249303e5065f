# The import ID is the workspace ID or the workspace slug.
import {
  to = tooljet_workspace_group_sync.marketing
  id = "marketing"
}
