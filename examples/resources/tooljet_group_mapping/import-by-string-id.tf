# The import ID is "<workspace ID or slug>/<IdP group>". The IdP group is
# everything after the first "/", so it may contain "/" and spaces.
import {
  to = tooljet_group_mapping.developers
  id = "engineering/Developers"
}
