package provider

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func quote(s string) string { return strconv.Quote(s) }

// durationValidator checks that a string is a positive Go duration.
func durationValidator() validator.String { return durationStringValidator{} }

type durationStringValidator struct{}

func (durationStringValidator) Description(context.Context) string {
	return "must be a positive duration with a unit, such as \"30s\" or \"2m\""
}

func (v durationStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationStringValidator) ValidateString(_ context.Context, req validator.StringRequest,
	resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if d, err := time.ParseDuration(value); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("The value %q is not a positive duration. Write a number with a unit, "+
				"for example \"30s\" or \"2m\".", value))
	}
}

// backtickList formats values for a Markdown description: `a`, `b`.
func backtickList(values []string) string {
	out := ""
	for i, value := range values {
		if i > 0 {
			out += ", "
		}
		out += "`" + value + "`"
	}
	return out
}

// httpURLValidator checks that a string is an absolute http or https URL.
func httpURLValidator() validator.String { return httpURLStringValidator{} }

type httpURLStringValidator struct{}

func (httpURLStringValidator) Description(context.Context) string {
	return "must be an absolute http or https URL"
}

func (v httpURLStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (httpURLStringValidator) ValidateString(_ context.Context, req validator.StringRequest,
	resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	u, err := url.Parse(value)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("The value %q is not a valid URL: %v.", value, err))
	case u.Scheme != "http" && u.Scheme != "https":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("The value %q must be an absolute URL starting with https:// (or "+
				"http://), such as \"https://idp.example.com/.well-known/openid-configuration\".",
				value))
	case u.Host == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("The value %q has no host name.", value))
	case strings.TrimSpace(value) != value:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("The value %q has leading or trailing whitespace; remove it.", value))
	}
}

// noSurroundingSpaceValidator rejects leading and trailing whitespace.
func noSurroundingSpaceValidator() validator.String { return noSurroundingSpaceStringValidator{} }

type noSurroundingSpaceStringValidator struct{}

func (noSurroundingSpaceStringValidator) Description(context.Context) string {
	return "must not have leading or trailing whitespace"
}

func (v noSurroundingSpaceStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (noSurroundingSpaceStringValidator) ValidateString(_ context.Context,
	req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if strings.TrimSpace(value) != value {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
			fmt.Sprintf("The value %q has leading or trailing whitespace, which the identity "+
				"provider would not match. Remove it.", value))
	}
}

// timeoutsAttribute is the timeouts attribute of every resource, with a
// description for the docs.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	attribute := timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
	})
	nested, ok := attribute.(schema.SingleNestedAttribute)
	if !ok {
		return attribute
	}
	nested.Description = "How long each operation may take, as Go durations such as `30s` " +
		"or `10m`. Create, update and delete default to `10m`, read to `5m`."
	return nested
}
