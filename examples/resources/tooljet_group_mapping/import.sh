# The import ID is "<workspace ID or slug>/<IdP group>". The IdP group is
# everything after the first "/", so it may contain "/" and spaces.
terraform import tooljet_group_mapping.developers "engineering/Developers"
