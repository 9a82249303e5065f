package emulator

import (
	"encoding/base64"
	"strings"
)

// encryptedPrefix marks a stored secret. The emulator only needs the stored
// value to differ from the plain text, as ToolJet's encrypted column does, so
// the "encryption" is a reversible base64 encoding behind this marker.
const encryptedPrefix = "enc:v1:"

// isSecretKey reports whether ToolJet treats a configs key as a secret: its
// name contains "secret" in any case.
func isSecretKey(key string) bool {
	return strings.Contains(strings.ToLower(key), "secret")
}

func encryptSecret(plain string) string {
	return encryptedPrefix + base64.StdEncoding.EncodeToString([]byte(plain))
}

// decryptSecret returns the plain text of an encrypted value, or the value
// unchanged when it is not encrypted (an empty secret, or one set out of band).
func decryptSecret(stored string) string {
	encoded, ok := strings.CutPrefix(stored, encryptedPrefix)
	if !ok {
		return stored
	}
	plain, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return stored
	}
	return string(plain)
}

// encryptConfigs returns configs with every secret key whose value is a
// non-empty string encrypted. Like ToolJet, it leaves empty strings, null and
// values of other types as sent, and looks only at top-level keys.
func encryptConfigs(configs map[string]any) map[string]any {
	if configs == nil {
		return nil
	}
	out := make(map[string]any, len(configs))
	for k, v := range configs {
		if s, ok := v.(string); ok && s != "" && isSecretKey(k) {
			out[k] = encryptSecret(s)
			continue
		}
		out[k] = v
	}
	return out
}
