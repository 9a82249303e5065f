package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func providerSchema() schema.Schema {
	return schema.Schema{
		Description: "Manages ToolJet's OpenID Connect single sign-on and group sync: " +
			"instance-level OIDC, the workspaces that inherit its group sync, and group mappings.",
		Attributes: map[string]schema.Attribute{
			"host": schema.StringAttribute{
				Optional: true,
				Description: "ToolJet's base URL, such as `https://tooljet.example.com`, with the " +
					"sub-path if ToolJet is served under one (`https://example.com/tooljet`). " +
					"Defaults to the `TOOLJET_HOST` environment variable.",
			},
			"email": schema.StringAttribute{
				Optional: true,
				Description: "Email of a ToolJet super admin. SSO and group sync settings can only " +
					"be changed by a super admin. Defaults to the `TOOLJET_EMAIL` environment " +
					"variable.",
			},
			"password": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "Password of the super admin. Defaults to the `TOOLJET_PASSWORD` " +
					"environment variable.",
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				Description: "How long one HTTP request to ToolJet may take before it counts as " +
					"failed, as a Go duration such as `30s`. Defaults to `60s`.",
				Validators: []validator.String{durationValidator()},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				Description: "How many times a request is retried after a rate limit (HTTP 429), " +
					"a gateway error (502, 503, 504) or a connection failure. `0` turns retries " +
					"off. Defaults to `5`.",
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"max_retry_wait": schema.StringAttribute{
				Optional: true,
				Description: "The longest wait between two attempts, as a Go duration. When " +
					"ToolJet asks for a longer wait with `Retry-After`, the request fails at once. " +
					"Defaults to `30s`.",
				Validators: []validator.String{durationValidator()},
			},
			"ca_cert_pem": schema.StringAttribute{
				Optional: true,
				Description: "PEM-encoded CA certificates to trust for ToolJet's HTTPS " +
					"certificate, in addition to the system's. Conflicts with `ca_cert_file`.",
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("ca_cert_file")),
				},
			},
			"ca_cert_file": schema.StringAttribute{
				Optional: true,
				Description: "Path of a file with PEM-encoded CA certificates to trust for " +
					"ToolJet's HTTPS certificate, in addition to the system's.",
			},
			"insecure_skip_verify": schema.BoolAttribute{
				Optional: true,
				Description: "Skip the verification of ToolJet's HTTPS certificate. Anyone on the " +
					"network path can then read the password and the client secret; use " +
					"`ca_cert_pem` instead. Defaults to `false`.",
			},
			"strict_group_targets": schema.BoolAttribute{
				Optional: true,
				Description: "Make a group mapping whose ToolJet group does not exist in the " +
					"workspace an error instead of a warning. ToolJet ignores such a target at " +
					"login. Defaults to `false`.",
			},
		},
	}
}
