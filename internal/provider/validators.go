package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

const invalidGroupMappingSummary = "Invalid group mapping"

// Rule sentences shared by the validator descriptions, in Markdown.
var (
	idpGroupRule = "an IdP group name without leading or trailing whitespace and " +
		"without control characters"
	targetRule = fmt.Sprintf("a ToolJet role (%s, in any case) or the name of a custom group "+
		"of at most %d ASCII letters, digits, spaces, `_` and `-` without leading or "+
		"trailing spaces", markdownRoleList(), mapping.MaxGroupNameLength)
)

var (
	_ validator.Map    = groupMappingMapValidator{}
	_ validator.String = nameStringValidator{}
)

// groupMappingValidator returns a validator for a map(string) group mapping
// from IdP group names to ToolJet groups. It checks every key and every known
// value against the name rules, and rejects keys that ToolJet's read
// endpoints return as the same key.
func groupMappingValidator() validator.Map {
	return groupMappingMapValidator{}
}

type groupMappingMapValidator struct{}

func (v groupMappingMapValidator) Description(ctx context.Context) string {
	return plainText(v.MarkdownDescription(ctx))
}

func (groupMappingMapValidator) MarkdownDescription(context.Context) string {
	return "Each key must be " + idpGroupRule + ", each value must be " + targetRule +
		", and no two keys may give the same key when ToolJet reads them back lower-cased " +
		"with `_` before each ASCII capital letter after the first character, as " +
		"`OIDC` and `o_i_d_c` do."
}

func (groupMappingMapValidator) ValidateMap(
	ctx context.Context,
	req validator.MapRequest,
	resp *validator.MapResponse,
) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}

	elements := req.ConfigValue.Elements()
	keys := slices.Sorted(maps.Keys(elements))
	for _, key := range keys {
		if err := mapping.ValidateIdPGroup(key); err != nil {
			addMappingKeyError(&resp.Diagnostics, req.Path, key, detailFromError(err))
		}

		valuable, ok := elements[key].(basetypes.StringValuable)
		if !ok {
			addMappingKeyError(&resp.Diagnostics, req.Path, key, fmt.Sprintf("The group "+
				"mapping element has the type %T, but a string was expected. This is a "+
				"provider bug. Please report it to the provider developers.", elements[key]))
			continue
		}
		target, diags := valuable.ToStringValue(ctx)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() || target.IsUnknown() {
			continue
		}
		if target.IsNull() {
			addMappingKeyError(&resp.Diagnostics, req.Path, key, fmt.Sprintf("The ToolJet "+
				"group for the IdP group %q is null. Set it to %s.", key, plainText(targetRule)))
			continue
		}
		if err := mapping.ValidateTarget(target.ValueString()); err != nil {
			addMappingKeyError(&resp.Diagnostics, req.Path, key, detailFromError(err))
		}
	}

	for _, collision := range mapping.ReadKeyCollisions(keys) {
		addMappingKeyError(&resp.Diagnostics, req.Path, collision.Name,
			detailFromError(collision))
		mirrored := &mapping.ReadKeyCollisionError{
			Name:    collision.Other,
			Other:   collision.Name,
			ReadKey: collision.ReadKey,
		}
		addMappingKeyError(&resp.Diagnostics, req.Path, collision.Other,
			detailFromError(mirrored))
	}
}

// located returns the path and detail of a diagnostic about the value at p.
// Terraform cannot show the configuration line of an attribute nested in an
// object attribute, such as group_sync.group_mapping, and falls back to the
// resource's first line. Such a diagnostic is therefore reported on the
// top-level attribute, whose lines Terraform shows, and its detail starts
// with the full path.
func located(p path.Path, detail string) (path.Path, string, bool) {
	steps := p.Steps()
	if len(steps) < 2 {
		return p, detail, false
	}
	first, ok := steps[0].(path.PathStepAttributeName)
	if !ok {
		return p, detail, false
	}
	return path.Root(string(first)), fmt.Sprintf("In %s: %s", p, detail), true
}

// addMappingKeyError reports an error about one key of the group mapping at
// p.
func addMappingKeyError(diags *diag.Diagnostics, p path.Path, key, detail string) {
	where, detail, nested := located(p, detail)
	if !nested {
		where = p.AtMapKey(key)
	}
	diags.AddAttributeError(where, invalidGroupMappingSummary, detail)
}

// claimNameValidator returns a validator for the name of the claim that
// carries the user's IdP groups.
func claimNameValidator() validator.String {
	return nameStringValidator{
		summary: "Invalid claim name",
		rule: "a non-empty claim name without leading or trailing whitespace and without " +
			"control characters",
		validate: mapping.ValidateClaimName,
	}
}

// targetGroupValidator returns a validator for the ToolJet group of one
// group mapping entry.
func targetGroupValidator() validator.String {
	return nameStringValidator{
		summary:  invalidGroupMappingSummary,
		rule:     targetRule,
		validate: mapping.ValidateTarget,
	}
}

// idpGroupValidator returns a validator for the IdP group of one group
// mapping entry.
func idpGroupValidator() validator.String {
	return nameStringValidator{
		summary:  invalidGroupMappingSummary,
		rule:     idpGroupRule,
		validate: mapping.ValidateIdPGroup,
	}
}

// nameStringValidator checks a string attribute with one of the name rules
// of package mapping.
type nameStringValidator struct {
	summary string
	// rule completes the sentence "Value must be ...", in Markdown.
	rule     string
	validate func(string) error
}

func (v nameStringValidator) Description(ctx context.Context) string {
	return plainText(v.MarkdownDescription(ctx))
}

func (v nameStringValidator) MarkdownDescription(context.Context) string {
	return "Value must be " + v.rule + "."
}

func (v nameStringValidator) ValidateString(
	_ context.Context,
	req validator.StringRequest,
	resp *validator.StringResponse,
) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.validate(req.ConfigValue.ValueString()); err != nil {
		where, detail, _ := located(req.Path, detailFromError(err))
		resp.Diagnostics.AddAttributeError(where, v.summary, detail)
	}
}

// detailFromError turns an error of package mapping into a diagnostic
// detail: the same text as a sentence that starts with a capital letter and
// ends with a period.
func detailFromError(err error) string {
	message := strings.TrimRightFunc(err.Error(), unicode.IsSpace)
	first, size := utf8.DecodeRuneInString(message)
	if !strings.HasSuffix(message, ".") {
		message += "."
	}
	return string(unicode.ToUpper(first)) + message[size:]
}

// markdownRoleList returns the role names as a Markdown list in prose, such
// as "`admin`, `builder` or `end-user`".
func markdownRoleList() string {
	quoted := make([]string, len(mapping.RoleNames))
	for i, role := range mapping.RoleNames {
		quoted[i] = "`" + role + "`"
	}
	last := len(quoted) - 1
	return strings.Join(quoted[:last], ", ") + " or " + quoted[last]
}

// plainText turns the Markdown code spans of a description into plain text:
// a span that is already quoted or is an HCL object loses its backticks, and
// any other span is put in double quotes.
func plainText(markdown string) string {
	parts := strings.Split(markdown, "`")
	var b strings.Builder
	for i, part := range parts {
		isCode := i%2 == 1 && i < len(parts)-1
		switch {
		case !isCode:
			if i > 0 && i%2 == 1 {
				// An unpaired backtick stays as it was.
				b.WriteString("`")
			}
			b.WriteString(part)
		case strings.HasPrefix(part, `"`), strings.HasPrefix(part, "{"):
			b.WriteString(part)
		default:
			b.WriteString(`"` + part + `"`)
		}
	}
	return b.String()
}
