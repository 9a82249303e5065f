package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// jsonObject is a JSON object whose members keep their order, the way a
// JavaScript object keeps the order in which its properties were created.
// Handlers build response structure with it; stored user data stays in maps.
type jsonObject []jsonField

type jsonField struct {
	Key   string
	Value any
}

// keyRewrite selects how normalizeJSON treats object keys.
type keyRewrite int

const (
	// keepKeys leaves keys as they are.
	keepKeys keyRewrite = iota
	// decamelizeKeys rewrites every key as humps.decamelizeKeys does,
	// including the keys of group mappings.
	decamelizeKeys
	// decamelizeKeepingMappingKeys rewrites every key except those of group
	// mappings.
	decamelizeKeepingMappingKeys
)

// groupMappingKey is the decamelized name of the member whose keys are IdP
// group names. KeepMappingKeys leaves the keys of its object unchanged.
const groupMappingKey = "group_mapping"

// normalizeJSON converts a response value into jsonObject, []any and JSON
// scalars, in the member order that ToolJet's Node.js server produces.
//
// Maps are stored user data (configs, group mappings) that ToolJet reads from
// Postgres jsonb. Postgres returns jsonb keys shorter first, then in byte
// order, and a JavaScript object built from them lists array-index keys
// first in ascending numeric order. With decamelizing, every key is rewritten
// with mapping.ToolJetReadKey, as humps.decamelizeKeys does. When two keys
// rewrite to the same key, the later one's value wins and the key keeps the
// position of the first.
func normalizeJSON(v any, mode keyRewrite) any {
	switch t := v.(type) {
	case jsonObject:
		fields := make([]jsonField, len(t))
		copy(fields, t)
		return buildJSObject(fields, mode)
	case map[string]any:
		fields := make([]jsonField, 0, len(t))
		for _, k := range jsonbKeyOrder(t) {
			fields = append(fields, jsonField{k, t[k]})
		}
		return buildJSObject(fields, mode)
	case map[string]string:
		fields := make([]jsonField, 0, len(t))
		for _, k := range jsonbKeyOrder(t) {
			fields = append(fields, jsonField{k, t[k]})
		}
		return buildJSObject(fields, mode)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeJSON(e, mode)
		}
		return out
	case []jsonObject:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeJSON(e, mode)
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	default:
		return v
	}
}

// buildJSObject assigns the fields in order to a new JavaScript-like object.
func buildJSObject(fields []jsonField, mode keyRewrite) jsonObject {
	out := make(jsonObject, 0, len(fields))
	positions := make(map[string]int, len(fields))
	for _, f := range fields {
		key := f.Key
		if mode != keepKeys {
			key = mapping.ToolJetReadKey(key)
		}
		childMode := mode
		if mode == decamelizeKeepingMappingKeys && key == groupMappingKey {
			childMode = keepKeys
		}
		value := normalizeJSON(f.Value, childMode)
		if i, ok := positions[key]; ok {
			out[i].Value = value
			continue
		}
		positions[key] = len(out)
		out = append(out, jsonField{key, value})
	}
	// A JavaScript object lists array-index keys first, in numeric order.
	slices.SortStableFunc(out, func(a, b jsonField) int {
		ai, aIndex := arrayIndex(a.Key)
		bi, bIndex := arrayIndex(b.Key)
		switch {
		case aIndex && bIndex:
			return compareUint(ai, bi)
		case aIndex:
			return -1
		case bIndex:
			return 1
		default:
			return 0
		}
	})
	return out
}

// jsonbKeyOrder returns the keys in the order a JavaScript object built from
// jsonb text visits them: array-index keys in numeric order, then the other
// keys shorter first and then bytewise, which is jsonb's storage order.
func jsonbKeyOrder[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ai, aIndex := arrayIndex(a)
		bi, bIndex := arrayIndex(b)
		switch {
		case aIndex && bIndex:
			return compareUint(ai, bi)
		case aIndex:
			return -1
		case bIndex:
			return 1
		case len(a) != len(b):
			return len(a) - len(b)
		default:
			return strings.Compare(a, b)
		}
	})
	return keys
}

// arrayIndex reports whether key is an ECMAScript array index: the canonical
// decimal form of an integer below 2^32-1.
func arrayIndex(key string) (uint64, bool) {
	if key == "" || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(key, 10, 64)
	if err != nil || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	default:
		return 0
	}
}

// applyKeyFaults replaces the members named in nullKeys with null and removes
// those named in omitKeys, at any depth of a normalized value.
func applyKeyFaults(v any, nullKeys, omitKeys []string) any {
	if len(nullKeys) == 0 && len(omitKeys) == 0 {
		return v
	}
	switch t := v.(type) {
	case jsonObject:
		out := make(jsonObject, 0, len(t))
		for _, f := range t {
			switch {
			case slices.Contains(omitKeys, f.Key):
				continue
			case slices.Contains(nullKeys, f.Key):
				out = append(out, jsonField{f.Key, nil})
			default:
				out = append(out, jsonField{f.Key, applyKeyFaults(f.Value, nullKeys, omitKeys)})
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = applyKeyFaults(e, nullKeys, omitKeys)
		}
		return out
	default:
		return v
	}
}

// encodeJSON writes a normalized value as compact JSON without HTML escaping,
// like JavaScript's JSON.stringify.
func encodeJSON(buf *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case jsonObject:
		buf.WriteByte('{')
		for i, f := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeScalar(buf, f.Key); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := encodeJSON(buf, f.Value); err != nil {
				return fmt.Errorf("member %q: %w", f.Key, err)
			}
		}
		buf.WriteByte('}')
		return nil
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeJSON(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	default:
		return encodeScalar(buf, v)
	}
}

func encodeScalar(buf *bytes.Buffer, v any) error {
	var scratch bytes.Buffer
	enc := json.NewEncoder(&scratch)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Write(bytes.TrimSuffix(scratch.Bytes(), []byte("\n")))
	return nil
}
