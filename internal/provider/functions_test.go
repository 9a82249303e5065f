package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func runFunction(f function.Function, result attr.Value, args ...attr.Value) function.RunResponse {
	req := function.RunRequest{Arguments: function.NewArgumentsData(args)}
	resp := function.RunResponse{Result: function.NewResultData(result)}
	f.Run(context.Background(), req, &resp)
	return resp
}

func TestFunctions_metadata(t *testing.T) {
	tests := []struct {
		function function.Function
		want     string
	}{
		{function: NewParseGroupMappingFunction(), want: "parse_group_mapping"},
		{function: NewFormatGroupMappingFunction(), want: "format_group_mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			resp := &function.MetadataResponse{}
			tt.function.Metadata(context.Background(), function.MetadataRequest{}, resp)
			if resp.Name != tt.want {
				t.Errorf("Name = %q, want %q", resp.Name, tt.want)
			}
		})
	}
}

func TestFunctions_definition(t *testing.T) {
	for name, f := range map[string]function.Function{
		"parse_group_mapping":  NewParseGroupMappingFunction(),
		"format_group_mapping": NewFormatGroupMappingFunction(),
	} {
		t.Run(name, func(t *testing.T) {
			resp := &function.DefinitionResponse{}
			f.Definition(context.Background(), function.DefinitionRequest{}, resp)

			validateResp := &function.DefinitionValidateResponse{}
			resp.Definition.ValidateImplementation(context.Background(),
				function.DefinitionValidateRequest{FuncName: name}, validateResp)
			if validateResp.Diagnostics.HasError() {
				t.Fatalf("ValidateImplementation() = %v", validateResp.Diagnostics)
			}
			if resp.Definition.Summary == "" {
				t.Error("Summary is empty")
			}
			if resp.Definition.Description == "" {
				t.Error("Description is empty")
			}
			if resp.Definition.MarkdownDescription == "" {
				t.Error("MarkdownDescription is empty")
			}
			if len(resp.Definition.Parameters) != 1 {
				t.Fatalf("got %d parameters, want 1", len(resp.Definition.Parameters))
			}
			if resp.Definition.Parameters[0].GetDescription() == "" {
				t.Error("parameter Description is empty")
			}
			if resp.Definition.Parameters[0].GetMarkdownDescription() == "" {
				t.Error("parameter MarkdownDescription is empty")
			}
		})
	}
}

func TestParseGroupMappingFunction_valid(t *testing.T) {
	resp := runFunction(NewParseGroupMappingFunction(), types.MapUnknown(types.StringType),
		types.StringValue("Marketing Team -> marketing,\nAdmins -> Admin,"))
	if resp.Error != nil {
		t.Fatalf("Run() error: %v", resp.Error)
	}
	want := types.MapValueMust(types.StringType, map[string]attr.Value{
		"Marketing Team": types.StringValue("marketing"),
		"Admins":         types.StringValue("Admin"),
	})
	if got := resp.Result.Value(); !got.Equal(want) {
		t.Errorf("Run() result = %s, want %s", got, want)
	}
}

func TestParseGroupMappingFunction_emptyText(t *testing.T) {
	resp := runFunction(NewParseGroupMappingFunction(), types.MapUnknown(types.StringType),
		types.StringValue(""))
	if resp.Error != nil {
		t.Fatalf("Run() error: %v", resp.Error)
	}
	want := types.MapValueMust(types.StringType, map[string]attr.Value{})
	if got := resp.Result.Value(); !got.Equal(want) {
		t.Errorf("Run() result = %s, want %s", got, want)
	}
}

func TestParseGroupMappingFunction_invalid(t *testing.T) {
	resp := runFunction(NewParseGroupMappingFunction(), types.MapUnknown(types.StringType),
		types.StringValue("Admins -> admin, Devs, Ops -> ops!"))
	want := function.NewArgumentFuncError(0, "The \"text\" argument is not a valid group mapping:\n"+
		`entry 2 "Devs": missing "->" between the IdP group and the ToolJet group. `+
		`Write each entry as "IdP Group -> ToolJet Group"`+"\n"+
		`entry 3 "Ops -> ops!": invalid ToolJet group name "ops!": it contains "!", but ToolJet `+
		`group names contain only ASCII letters, digits, spaces, "_" and "-". `+fixToolJetGroupText)
	if !resp.Error.Equal(want) {
		t.Errorf("Run() error =\n%v\nwant\n%v", resp.Error, want)
	}
}

func TestParseGroupMappingFunction_invalidLeavesResultUnset(t *testing.T) {
	resp := runFunction(NewParseGroupMappingFunction(), types.MapUnknown(types.StringType),
		types.StringValue("Devs"))
	if resp.Error == nil {
		t.Fatal("Run() returned no error")
	}
	if got := resp.Result.Value(); !got.IsUnknown() {
		t.Errorf("Run() result = %s, want the result left unset", got)
	}
}

func TestFormatGroupMappingFunction_valid(t *testing.T) {
	resp := runFunction(NewFormatGroupMappingFunction(), types.StringUnknown(),
		types.MapValueMust(types.StringType, map[string]attr.Value{
			"Sales Team":     types.StringValue("sales"),
			"Marketing Team": types.StringValue("marketing"),
			"Admins":         types.StringValue("Admin"),
		}))
	if resp.Error != nil {
		t.Fatalf("Run() error: %v", resp.Error)
	}
	want := types.StringValue("Admins -> Admin, Marketing Team -> marketing, Sales Team -> sales")
	if got := resp.Result.Value(); !got.Equal(want) {
		t.Errorf("Run() result = %s, want %s", got, want)
	}
}

func TestFormatGroupMappingFunction_emptyMap(t *testing.T) {
	resp := runFunction(NewFormatGroupMappingFunction(), types.StringUnknown(),
		types.MapValueMust(types.StringType, map[string]attr.Value{}))
	if resp.Error != nil {
		t.Fatalf("Run() error: %v", resp.Error)
	}
	if got := resp.Result.Value(); !got.Equal(types.StringValue("")) {
		t.Errorf("Run() result = %s, want the empty string", got)
	}
}

func TestFormatGroupMappingFunction_invalidNames(t *testing.T) {
	resp := runFunction(NewFormatGroupMappingFunction(), types.StringUnknown(),
		types.MapValueMust(types.StringType, map[string]attr.Value{
			"Admins": types.StringValue("admin"),
			"Devs":   types.StringNull(),
			"Ops":    types.StringValue("ops.team"),
			"Sales":  types.StringValue("sales"),
			"sales":  types.StringValue("sales"),
		}))
	want := function.NewArgumentFuncError(0,
		"The \"mapping\" argument is not a valid group mapping:\n"+
			`group mapping key "Devs": the ToolJet group is null. Set it to a role or the name of a `+
			"custom group\n"+
			`group mapping key "Ops": invalid ToolJet group name "ops.team": it contains ".", but `+
			`ToolJet group names contain only ASCII letters, digits, spaces, "_" and "-". `+
			fixToolJetGroupText+"\n"+
			`group mapping key "Sales": IdP groups "Sales" and "sales" are both returned by ToolJet `+
			`as "sales", so the provider cannot tell them apart after a read. Map only one of them`)
	if !resp.Error.Equal(want) {
		t.Errorf("Run() error =\n%v\nwant\n%v", resp.Error, want)
	}
}

func TestFormatGroupMappingFunction_notExpressibleAsText(t *testing.T) {
	resp := runFunction(NewFormatGroupMappingFunction(), types.StringUnknown(),
		types.MapValueMust(types.StringType, map[string]attr.Value{
			"cn=admins,dc=example": types.StringValue("admin"),
		}))
	want := function.NewArgumentFuncError(0, "The \"mapping\" argument cannot be written as text:\n"+
		`group mapping key "cn=admins,dc=example": the IdP group name "cn=admins,dc=example" `+
		`contains ",", so it cannot be written in the text form. `+
		"Write the group mapping as a map instead")
	if !resp.Error.Equal(want) {
		t.Errorf("Run() error =\n%v\nwant\n%v", resp.Error, want)
	}
}

func TestFormatGroupMappingFunction_unknownElement(t *testing.T) {
	resp := runFunction(NewFormatGroupMappingFunction(), types.StringNull(),
		types.MapValueMust(types.StringType, map[string]attr.Value{
			"Admins": types.StringUnknown(),
		}))
	if resp.Error != nil {
		t.Fatalf("Run() error: %v", resp.Error)
	}
	if got := resp.Result.Value(); !got.IsUnknown() {
		t.Errorf("Run() result = %s, want an unknown string", got)
	}
}

func TestGroupMappingFunctions_roundTrip(t *testing.T) {
	text := "Admins -> Admin, Marketing Team -> marketing, ÖBB -> end-user"
	parsed := runFunction(NewParseGroupMappingFunction(), types.MapUnknown(types.StringType),
		types.StringValue(text))
	if parsed.Error != nil {
		t.Fatalf("parse_group_mapping error: %v", parsed.Error)
	}
	formatted := runFunction(NewFormatGroupMappingFunction(), types.StringUnknown(),
		parsed.Result.Value())
	if formatted.Error != nil {
		t.Fatalf("format_group_mapping error: %v", formatted.Error)
	}
	if got := formatted.Result.Value(); !got.Equal(types.StringValue(text)) {
		t.Errorf("format_group_mapping(parse_group_mapping(%q)) = %s", text, got)
	}
}
