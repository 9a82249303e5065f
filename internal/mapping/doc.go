// Package mapping parses, formats and validates ToolJet group mappings.
//
// A group mapping is a map from IdP group names (the values of the groups
// claim that the OpenID Connect identity provider sends) to ToolJet group
// names: a role (admin, builder, end-user) or a custom group of the
// workspace. ToolJet's API stores it as a JSON object, and its settings page
// shows it as text such as "Marketing Team -> marketing, Sales Team -> sales".
// ToolJet ignores a target group that does not exist, so every rule that can
// be checked offline is checked here, before the mapping is sent.
package mapping
