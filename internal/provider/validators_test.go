package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const targetRuleText = `a ToolJet role ("admin", "builder" or "end-user", in any case) or the ` +
	`name of a custom group of at most 50 ASCII letters, digits, spaces, "_" and "-" ` +
	"without leading or trailing spaces"

const fixToolJetGroupText = "Use a role (admin, builder, end-user) or the exact name of a " +
	"custom group in the ToolJet workspace"

var mappingPath = path.Root("group_mapping")

func stringMap(t *testing.T, elements map[string]attr.Value) types.Map {
	t.Helper()
	value, diags := types.MapValue(types.StringType, elements)
	if diags.HasError() {
		t.Fatalf("building map value: %v", diags)
	}
	return value
}

func validateGroupMapping(t *testing.T, value types.Map) diag.Diagnostics {
	t.Helper()
	req := validator.MapRequest{Path: mappingPath, ConfigValue: value}
	resp := &validator.MapResponse{}
	groupMappingValidator().ValidateMap(context.Background(), req, resp)
	return resp.Diagnostics
}

// checkDiagnostics fails t unless got holds exactly the attribute errors in
// want, in order.
func checkDiagnostics(t *testing.T, got diag.Diagnostics, want []diag.Diagnostic) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("diagnostic %d:\n got %s: %s (%v)\nwant %s: %s (%v)", i,
				got[i].Summary(), got[i].Detail(), pathOf(got[i]),
				want[i].Summary(), want[i].Detail(), pathOf(want[i]))
		}
	}
}

func pathOf(d diag.Diagnostic) path.Path {
	if withPath, ok := d.(diag.DiagnosticWithPath); ok {
		return withPath.Path()
	}
	return path.Empty()
}

func TestGroupMappingValidator_valid(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{
		"Marketing Team": types.StringValue("marketing"),
		"Admins":         types.StringValue("Admin"),
		"OIDC Users":     types.StringValue("end-user"),
		"cn=devs,dc=org": types.StringValue("builder"),
	})
	if diags := validateGroupMapping(t, value); len(diags) != 0 {
		t.Errorf("ValidateMap() diagnostics = %v, want none", diags)
	}
}

func TestGroupMappingValidator_nullAndUnknownSkipped(t *testing.T) {
	for name, value := range map[string]types.Map{
		"null":    types.MapNull(types.StringType),
		"unknown": types.MapUnknown(types.StringType),
	} {
		t.Run(name, func(t *testing.T) {
			if diags := validateGroupMapping(t, value); len(diags) != 0 {
				t.Errorf("ValidateMap() diagnostics = %v, want none", diags)
			}
		})
	}
}

func TestGroupMappingValidator_unknownElementSkipped(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{"Admins": types.StringUnknown()})
	if diags := validateGroupMapping(t, value); len(diags) != 0 {
		t.Errorf("ValidateMap() diagnostics = %v, want none", diags)
	}
}

func TestGroupMappingValidator_invalidKeyWithUnknownElement(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{"Admins ": types.StringUnknown()})
	checkDiagnostics(t, validateGroupMapping(t, value), []diag.Diagnostic{
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey("Admins "), "Invalid group mapping",
			`Invalid IdP group name "Admins ": it has leading or trailing whitespace. `+
				"Remove the whitespace around the name."),
	})
}

func TestGroupMappingValidator_invalidTarget(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{
		"Admins": types.StringValue("admin"),
		"Ops":    types.StringValue("ops.team"),
	})
	checkDiagnostics(t, validateGroupMapping(t, value), []diag.Diagnostic{
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey("Ops"), "Invalid group mapping",
			`Invalid ToolJet group name "ops.team": it contains ".", but ToolJet group names `+
				`contain only ASCII letters, digits, spaces, "_" and "-". `+fixToolJetGroupText+"."),
	})
}

func TestGroupMappingValidator_emptyKeyAndTarget(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{"": types.StringValue("")})
	checkDiagnostics(t, validateGroupMapping(t, value), []diag.Diagnostic{
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey(""), "Invalid group mapping",
			`Invalid IdP group name "": it is empty. Use the group name exactly as the `+
				"identity provider sends it in the groups claim."),
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey(""), "Invalid group mapping",
			`Invalid ToolJet group name "": it is empty. `+fixToolJetGroupText+"."),
	})
}

func TestGroupMappingValidator_nullElement(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{"Admins": types.StringNull()})
	checkDiagnostics(t, validateGroupMapping(t, value), []diag.Diagnostic{
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey("Admins"), "Invalid group mapping",
			`The ToolJet group for the IdP group "Admins" is null. Set it to `+targetRuleText+"."),
	})
}

func TestGroupMappingValidator_readKeyCollision(t *testing.T) {
	value := stringMap(t, map[string]attr.Value{
		"OIDC":    types.StringValue("admin"),
		"o_i_d_c": types.StringUnknown(),
		"Sales":   types.StringValue("sales"),
	})
	checkDiagnostics(t, validateGroupMapping(t, value), []diag.Diagnostic{
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey("OIDC"), "Invalid group mapping",
			`IdP groups "OIDC" and "o_i_d_c" are both returned by ToolJet as "o_i_d_c", so the `+
				"provider cannot tell them apart after a read. Map only one of them."),
		diag.NewAttributeErrorDiagnostic(mappingPath.AtMapKey("o_i_d_c"), "Invalid group mapping",
			`IdP groups "o_i_d_c" and "OIDC" are both returned by ToolJet as "o_i_d_c", so the `+
				"provider cannot tell them apart after a read. Map only one of them."),
	})
}

func TestGroupMappingValidator_description(t *testing.T) {
	want := `Each key must be an IdP group name without leading or trailing whitespace and ` +
		`without control characters, each value must be ` + targetRuleText + `, and no two ` +
		`keys may give the same key when ToolJet reads them back lower-cased with "_" before ` +
		`each ASCII capital letter after the first character, as "OIDC" and "o_i_d_c" do.`
	if got := groupMappingValidator().Description(context.Background()); got != want {
		t.Errorf("Description() =\n%s\nwant\n%s", got, want)
	}
}

func TestGroupMappingValidator_markdownDescription(t *testing.T) {
	got := groupMappingValidator().MarkdownDescription(context.Background())
	if !strings.Contains(got, "(`admin`, `builder` or `end-user`, in any case)") {
		t.Errorf("MarkdownDescription() = %q, want the roles as code spans", got)
	}
}

func validateString(v validator.String, value types.String) diag.Diagnostics {
	req := validator.StringRequest{Path: path.Root("name"), ConfigValue: value}
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), req, resp)
	return resp.Diagnostics
}

func TestStringValidators_accept(t *testing.T) {
	tests := []struct {
		name      string
		validator validator.String
		value     types.String
	}{
		{name: "claim name", validator: claimNameValidator(), value: types.StringValue("groups")},
		{name: "claim URL", validator: claimNameValidator(),
			value: types.StringValue("https://example.com/claims/groups")},
		{name: "claim null", validator: claimNameValidator(), value: types.StringNull()},
		{name: "claim unknown", validator: claimNameValidator(), value: types.StringUnknown()},
		{name: "target role", validator: targetGroupValidator(),
			value: types.StringValue("End-user")},
		{name: "target custom", validator: targetGroupValidator(),
			value: types.StringValue("Marketing Team")},
		{name: "target null", validator: targetGroupValidator(), value: types.StringNull()},
		{name: "target unknown", validator: targetGroupValidator(), value: types.StringUnknown()},
		{name: "IdP group", validator: idpGroupValidator(), value: types.StringValue("Sales, EMEA")},
		{name: "IdP null", validator: idpGroupValidator(), value: types.StringNull()},
		{name: "IdP unknown", validator: idpGroupValidator(), value: types.StringUnknown()},
		{name: "no surrounding space", validator: noSurroundingSpaceValidator(),
			value: types.StringValue("tooljet client")},
		{name: "no surrounding space null", validator: noSurroundingSpaceValidator(),
			value: types.StringNull()},
		{name: "no surrounding space unknown", validator: noSurroundingSpaceValidator(),
			value: types.StringUnknown()},
		{name: "https URL", validator: httpURLValidator(),
			value: types.StringValue("https://idp.example.com/.well-known/openid-configuration")},
		{name: "http URL", validator: httpURLValidator(),
			value: types.StringValue("http://127.0.0.1:8080/")},
		{name: "URL null", validator: httpURLValidator(), value: types.StringNull()},
		{name: "URL unknown", validator: httpURLValidator(), value: types.StringUnknown()},
		{name: "duration", validator: durationValidator(), value: types.StringValue("1m30s")},
		{name: "duration null", validator: durationValidator(), value: types.StringNull()},
		{name: "duration unknown", validator: durationValidator(), value: types.StringUnknown()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diags := validateString(tt.validator, tt.value); len(diags) != 0 {
				t.Errorf("ValidateString(%s) diagnostics = %v, want none", tt.value, diags)
			}
		})
	}
}

func TestStringValidators_reject(t *testing.T) {
	tests := []struct {
		name      string
		validator validator.String
		value     string
		summary   string
		detail    string
	}{
		{
			name:      "claim empty",
			validator: claimNameValidator(),
			value:     "",
			summary:   "Invalid claim name",
			detail: `Invalid claim name "": it is empty. Use the name of the claim that lists ` +
				`the user's groups, such as "groups".`,
		},
		{
			name:      "claim trailing space",
			validator: claimNameValidator(),
			value:     "groups ",
			summary:   "Invalid claim name",
			detail: `Invalid claim name "groups ": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name.",
		},
		{
			name:      "target invalid character",
			validator: targetGroupValidator(),
			value:     "sales!",
			summary:   "Invalid group mapping",
			detail: `Invalid ToolJet group name "sales!": it contains "!", but ToolJet group ` +
				`names contain only ASCII letters, digits, spaces, "_" and "-". ` +
				fixToolJetGroupText + ".",
		},
		{
			name:      "target too long",
			validator: targetGroupValidator(),
			value:     strings.Repeat("g", 51),
			summary:   "Invalid group mapping",
			detail: `Invalid ToolJet group name "` + strings.Repeat("g", 51) + `": it is 51 ` +
				"characters long, but ToolJet group names have at most 50 characters. " +
				fixToolJetGroupText + ".",
		},
		{
			name:      "IdP group control character",
			validator: idpGroupValidator(),
			value:     "Sales\tTeam",
			summary:   "Invalid group mapping",
			detail: `Invalid IdP group name "Sales\tTeam": it contains the control character ` +
				"U+0009. Remove the control character.",
		},
		{
			name:      "leading space",
			validator: noSurroundingSpaceValidator(),
			value:     " a",
			summary:   "Invalid value",
			detail: `The value " a" has leading or trailing whitespace, which the identity ` +
				"provider would not match. Remove it.",
		},
		{
			name:      "trailing space",
			validator: noSurroundingSpaceValidator(),
			value:     "x ",
			summary:   "Invalid value",
			detail: `The value "x " has leading or trailing whitespace, which the identity ` +
				"provider would not match. Remove it.",
		},
		{
			name:      "trailing newline",
			validator: noSurroundingSpaceValidator(),
			value:     "x\n",
			summary:   "Invalid value",
			detail: `The value "x\n" has leading or trailing whitespace, which the identity ` +
				"provider would not match. Remove it.",
		},
		{
			// Go's url.Parse accepts a space at the end of the path, so only
			// the whitespace check rejects this URL.
			name:      "URL with trailing space",
			validator: httpURLValidator(),
			value:     "https://x/ ",
			summary:   "Invalid URL",
			detail:    `The value "https://x/ " has leading or trailing whitespace; remove it.`,
		},
		{
			name:      "URL without scheme",
			validator: httpURLValidator(),
			value:     "idp.example.com/x",
			summary:   "Invalid URL",
			detail: `The value "idp.example.com/x" must be an absolute URL starting with ` +
				`https:// (or http://), such as ` +
				`"https://idp.example.com/.well-known/openid-configuration".`,
		},
		{
			name:      "URL without host",
			validator: httpURLValidator(),
			value:     "https:///x",
			summary:   "Invalid URL",
			detail:    `The value "https:///x" has no host name.`,
		},
		{
			name:      "duration without unit",
			validator: durationValidator(),
			value:     "30",
			summary:   "Invalid duration",
			detail: `The value "30" is not a positive duration. Write a number with a unit, ` +
				`for example "30s" or "2m".`,
		},
		{
			name:      "zero duration",
			validator: durationValidator(),
			value:     "0s",
			summary:   "Invalid duration",
			detail: `The value "0s" is not a positive duration. Write a number with a unit, ` +
				`for example "30s" or "2m".`,
		},
		{
			name:      "negative duration",
			validator: durationValidator(),
			value:     "-1s",
			summary:   "Invalid duration",
			detail: `The value "-1s" is not a positive duration. Write a number with a unit, ` +
				`for example "30s" or "2m".`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validateString(tt.validator, types.StringValue(tt.value))
			checkDiagnostics(t, got, []diag.Diagnostic{
				diag.NewAttributeErrorDiagnostic(path.Root("name"), tt.summary, tt.detail),
			})
		})
	}
}

func TestStringValidators_description(t *testing.T) {
	tests := []struct {
		name      string
		validator validator.String
		want      string
	}{
		{
			name:      "claim",
			validator: claimNameValidator(),
			want: "Value must be a non-empty claim name without leading or trailing whitespace " +
				"and without control characters.",
		},
		{
			name:      "target",
			validator: targetGroupValidator(),
			want:      "Value must be " + targetRuleText + ".",
		},
		{
			name:      "IdP group",
			validator: idpGroupValidator(),
			want: "Value must be an IdP group name without leading or trailing whitespace and " +
				"without control characters.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.validator.Description(context.Background()); got != tt.want {
				t.Errorf("Description() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		markdown string
		want     string
	}{
		{markdown: "roles `admin` and `end-user`", want: `roles "admin" and "end-user"`},
		{markdown: "such as `\"A -> a\"`", want: `such as "A -> a"`},
		{markdown: "such as `{ a = \"b\" }`", want: `such as { a = "b" }`},
		{markdown: "one ` backtick", want: "one ` backtick"},
		{markdown: "no code", want: "no code"},
	}
	for _, tt := range tests {
		t.Run(tt.markdown, func(t *testing.T) {
			if got := plainText(tt.markdown); got != tt.want {
				t.Errorf("plainText(%q) = %q, want %q", tt.markdown, got, tt.want)
			}
		})
	}
}
