package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

var _ function.Function = parseGroupMappingFunction{}

// parseGroupMappingFunction is the provider function parse_group_mapping,
// which converts the text form of a group mapping to a map.
type parseGroupMappingFunction struct{}

// NewParseGroupMappingFunction returns the parse_group_mapping provider
// function.
func NewParseGroupMappingFunction() function.Function {
	return parseGroupMappingFunction{}
}

func (parseGroupMappingFunction) Metadata(
	_ context.Context,
	_ function.MetadataRequest,
	resp *function.MetadataResponse,
) {
	resp.Name = "parse_group_mapping"
}

func (parseGroupMappingFunction) Definition(
	_ context.Context,
	_ function.DefinitionRequest,
	resp *function.DefinitionResponse,
) {
	description := "Parses a group mapping written as text, such as " +
		"`\"Marketing Team -> marketing, Sales Team -> sales\"`, into a map from IdP group " +
		"name to ToolJet group name, which is the form that ToolJet stores.\n\n" +
		textFormRules + "\n\n" +
		"An invalid entry fails the plan with an error that names the entry by its number."
	parameterDescription := "Group mapping as text: entries of the form " +
		"`IdP Group -> ToolJet Group`, separated by commas or newlines."

	resp.Definition = function.Definition{
		Summary:             "Parse the text form of a group mapping into a map",
		Description:         plainText(description),
		MarkdownDescription: description,
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "text",
				Description:         plainText(parameterDescription),
				MarkdownDescription: parameterDescription,
			},
		},
		Return: function.MapReturn{ElementType: types.StringType},
	}
}

func (parseGroupMappingFunction) Run(
	ctx context.Context,
	req function.RunRequest,
	resp *function.RunResponse,
) {
	var text string
	resp.Error = req.Arguments.Get(ctx, &text)
	if resp.Error != nil {
		return
	}

	groups, err := mapping.Parse(text)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0,
			"The \"text\" argument is not a valid group mapping:\n"+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, groups)
}
