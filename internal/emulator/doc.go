// Package emulator is an in-memory test double of ToolJet's admin HTTP API for
// single sign-on (OpenID Connect) settings, group sync, workspaces and groups.
//
// It serves the same routes, JSON payloads, casing, error envelope and quirks
// as ToolJet's server, so the provider's tests and demos can run without a
// ToolJet Enterprise instance. Where ToolJet's public source does not show a
// behaviour, the emulator takes the safest choice and marks it with a NOTE
// comment. Options can switch several of these choices.
//
// Responses of the login-config routes pass through the same recursive key
// rewriting as ToolJet's humps.decamelizeKeys, including the keys of group
// mappings, so "Marketing Team" is read back as "marketing _team".
//
// A Server keeps its State in memory, optionally in a JSON state file that is
// rewritten atomically after each change. Tests can read and change the State
// out of band (View, Update), count requests per route (RequestCounts) and
// inject faults such as error statuses, latency, dropped connections and
// null or missing response keys (AddFault, ParseFault).
package emulator
