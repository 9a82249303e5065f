package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// textFormRules describes the text form of a group mapping, in Markdown, for
// the descriptions of both group-mapping functions.
var textFormRules = fmt.Sprintf("ToolJet's API takes only the map. The text form is this "+
	"provider's own rule, modelled on the group-mapping field of ToolJet's settings page: "+
	"entries are separated by commas or newlines, each entry is split at its first `->`, "+
	"whitespace around both names is trimmed, and empty entries are skipped. An IdP group may "+
	"be mapped to only one ToolJet group, and two IdP groups that ToolJet reads back as the "+
	"same key, such as `OIDC` and `o_i_d_c`, are rejected. Each ToolJet group must be %s.",
	targetRule)

var _ function.Function = formatGroupMappingFunction{}

// formatGroupMappingFunction is the provider function format_group_mapping,
// which writes a group mapping map in its text form.
type formatGroupMappingFunction struct{}

// NewFormatGroupMappingFunction returns the format_group_mapping provider
// function.
func NewFormatGroupMappingFunction() function.Function {
	return formatGroupMappingFunction{}
}

func (formatGroupMappingFunction) Metadata(
	_ context.Context,
	_ function.MetadataRequest,
	resp *function.MetadataResponse,
) {
	resp.Name = "format_group_mapping"
}

func (formatGroupMappingFunction) Definition(
	_ context.Context,
	_ function.DefinitionRequest,
	resp *function.DefinitionResponse,
) {
	description := "Writes a map from IdP group name to ToolJet group name in the text " +
		"form that `parse_group_mapping` reads, such as " +
		"`\"Marketing Team -> marketing, Sales Team -> sales\"`: entries sorted by IdP " +
		"group name and joined with `, `.\n\n" +
		textFormRules + "\n\n" +
		"The function checks every entry against these name rules. It fails for a name " +
		"that the text form cannot express: an empty name, or one that contains `,`, `->` " +
		"or a line break, or has leading or trailing whitespace. Such a mapping can only " +
		"be written as a map."
	parameterDescription := "Group mapping from IdP group name to ToolJet group name, " +
		"such as `{ \"Marketing Team\" = \"marketing\" }`."

	resp.Definition = function.Definition{
		Summary:             "Format a group mapping map as text",
		Description:         plainText(description),
		MarkdownDescription: description,
		Parameters: []function.Parameter{
			function.MapParameter{
				Name:                "mapping",
				ElementType:         types.StringType,
				Description:         plainText(parameterDescription),
				MarkdownDescription: parameterDescription,
			},
		},
		Return: function.StringReturn{},
	}
}

func (formatGroupMappingFunction) Run(
	ctx context.Context,
	req function.RunRequest,
	resp *function.RunResponse,
) {
	var elements map[string]types.String
	resp.Error = req.Arguments.Get(ctx, &elements)
	if resp.Error != nil {
		return
	}

	groups := make(map[string]string, len(elements))
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(elements)) {
		target := elements[key]
		switch {
		case target.IsUnknown():
			// The text depends on a value that is known only after apply.
			resp.Error = resp.Result.Set(ctx, types.StringUnknown())
			return
		case target.IsNull():
			errs = append(errs, fmt.Errorf("group mapping key %q: the ToolJet group is null. "+
				"Set it to a role or the name of a custom group", key))
		default:
			groups[key] = target.ValueString()
		}
	}
	errs = append(errs, mapping.Validate(groups)...)
	if len(errs) > 0 {
		resp.Error = function.NewArgumentFuncError(0,
			"The \"mapping\" argument is not a valid group mapping:\n"+errors.Join(errs...).Error())
		return
	}

	text, err := mapping.Format(groups)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0,
			"The \"mapping\" argument cannot be written as text:\n"+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, text)
}
