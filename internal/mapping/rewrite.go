package mapping

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ToolJetReadKey returns the key that ToolJet's read endpoints return for a
// key that was stored as name.
//
// ToolJet passes login-config responses through humps.decamelizeKeys (humps
// 2.0, JavaScript), which rewrites every object key, including the IdP group
// names that are the keys of a group mapping. For each key it inserts "_"
// before every ASCII capital letter that is not the first character
// (String.prototype.split(/(?=[A-Z])/).join("_")), then lower-cases the whole
// key with String.prototype.toLowerCase. So "Marketing Team" is read back as
// "marketing _team" and "OIDC" as "o_i_d_c". Only ASCII capitals get a
// separator, but every letter with a lower-case form is lower-cased.
//
// NOTE: the lower-casing uses Go's Unicode tables (Unicode 15.0 in Go 1.26),
// while Node.js 20 uses Unicode 17.0, so letters added in Unicode 16 or 17
// may be lower-cased by ToolJet and left as they are here.
func ToolJetReadKey(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 4)
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return jsToLower(b.String())
}

// ReadKeysCollide reports whether ToolJet returns the same key for a and b
// although they differ, so that the two names cannot be distinguished after a
// read.
func ReadKeysCollide(a, b string) bool {
	return a != b && ToolJetReadKey(a) == ToolJetReadKey(b)
}

const (
	capitalSigma    = '\u03a3'
	smallSigma      = '\u03c3'
	smallFinalSigma = '\u03c2'
	capitalIDot     = '\u0130'
)

// jsToLower lower-cases s the way JavaScript's String.prototype.toLowerCase
// does. Go's strings.ToLower applies only the simple per-rune mappings, while
// JavaScript also applies the unconditional SpecialCasing.txt entry for
// U+0130 (it becomes "i" followed by U+0307) and the language-independent
// Final_Sigma rule for U+03A3.
func jsToLower(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == capitalSigma || r == capitalIDot }) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	for i, r := range s {
		switch r {
		case capitalIDot:
			b.WriteString("i\u0307")
		case capitalSigma:
			if isFinalSigma(s, i) {
				b.WriteRune(smallFinalSigma)
			} else {
				b.WriteRune(smallSigma)
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// isFinalSigma applies the Final_Sigma condition of the Unicode standard
// (section 3.13) to the capital sigma at byte offset i of s: a cased letter
// comes before it, skipping case-ignorable characters, and no cased letter
// comes after it, skipping case-ignorable characters.
func isFinalSigma(s string, i int) bool {
	before := false
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
		if isCaseIgnorable(r) {
			continue
		}
		before = isCased(r)
		break
	}
	if !before {
		return false
	}
	for j := i + utf8.RuneLen(capitalSigma); j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		j += size
		if isCaseIgnorable(r) {
			continue
		}
		return !isCased(r)
	}
	return true
}

// isCased approximates the Unicode Cased property: letters with case, and
// the Other_Lowercase and Other_Uppercase characters.
func isCased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.Is(unicode.Other_Lowercase, r) || unicode.Is(unicode.Other_Uppercase, r)
}

// isCaseIgnorable approximates the Unicode Case_Ignorable property:
// nonspacing and enclosing marks, format characters, modifier letters and
// symbols, and the apostrophe-like word-break characters.
func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '^', '`', '\u00b7', '\u2018', '\u2019', '\u2024', '\u2027', '\ufe13',
		'\ufe52', '\ufe55', '\uff07', '\uff0e', '\uff1a':
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
