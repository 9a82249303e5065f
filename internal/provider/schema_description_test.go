package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// described is what every schema attribute has.
type described interface {
	GetDescription() string
	GetMarkdownDescription() string
}

// checkDescriptions fails for every attribute, at any depth, without a
// description, since the generated docs would show it bare.
func checkDescriptions(t *testing.T, owner string, attributes map[string]described,
	nested func(name string) map[string]described) {
	t.Helper()
	for name, attribute := range attributes {
		if strings.TrimSpace(attribute.GetDescription()) == "" &&
			strings.TrimSpace(attribute.GetMarkdownDescription()) == "" {
			t.Errorf("%s: attribute %q has no description", owner, name)
		}
		if children := nested(name); children != nil {
			checkDescriptions(t, owner+"."+name, children, func(string) map[string]described {
				return nil
			})
		}
	}
}

func TestSchemas_everyAttributeDescribed(t *testing.T) {
	ctx := context.Background()
	p := &tooljetProvider{version: "test"}

	var providerResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &providerResp)
	providerAttributes := map[string]described{}
	for name, a := range providerResp.Schema.Attributes {
		providerAttributes[name] = a
	}
	checkDescriptions(t, "provider", providerAttributes,
		func(string) map[string]described { return nil })
	if providerResp.Schema.Description == "" {
		t.Error("the provider schema has no description")
	}

	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "tooljet"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if resp.Schema.Description == "" {
			t.Errorf("resource %s has no description", meta.TypeName)
		}
		attributes := map[string]described{}
		for name, a := range resp.Schema.Attributes {
			attributes[name] = a
		}
		checkDescriptions(t, meta.TypeName, attributes, func(name string) map[string]described {
			single, ok := resp.Schema.Attributes[name].(resourceschema.SingleNestedAttribute)
			if !ok {
				return nil
			}
			out := map[string]described{}
			for child, a := range single.Attributes {
				out[child] = a
			}
			return out
		})
	}

	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "tooljet"}, &meta)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Schema.Description == "" {
			t.Errorf("data source %s has no description", meta.TypeName)
		}
		attributes := map[string]described{}
		for name, a := range resp.Schema.Attributes {
			attributes[name] = a
		}
		checkDescriptions(t, meta.TypeName, attributes, func(name string) map[string]described {
			list, ok := resp.Schema.Attributes[name].(datasourceschema.ListNestedAttribute)
			if !ok {
				return nil
			}
			out := map[string]described{}
			for child, a := range list.NestedObject.Attributes {
				out[child] = a
			}
			return out
		})
	}

	for _, newFunction := range p.Functions(ctx) {
		f := newFunction()
		var meta function.MetadataResponse
		f.Metadata(ctx, function.MetadataRequest{}, &meta)
		var resp function.DefinitionResponse
		f.Definition(ctx, function.DefinitionRequest{}, &resp)
		if resp.Definition.Summary == "" || resp.Definition.Description == "" &&
			resp.Definition.MarkdownDescription == "" {
			t.Errorf("function %s has no summary or description", meta.Name)
		}
		for i, parameter := range resp.Definition.Parameters {
			if parameter.GetDescription() == "" && parameter.GetMarkdownDescription() == "" {
				t.Errorf("function %s: parameter %d has no description", meta.Name, i)
			}
		}
	}
}
