// Package provider implements the Terraform provider for ToolJet's single
// sign-on and group sync settings.
package provider

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// Environment variables that supply the provider settings of the same name.
const (
	envHost     = "TOOLJET_HOST"
	envEmail    = "TOOLJET_EMAIL"
	envPassword = "TOOLJET_PASSWORD"
)

var (
	_ provider.Provider              = (*tooljetProvider)(nil)
	_ provider.ProviderWithFunctions = (*tooljetProvider)(nil)
)

// tooljetProvider is the provider. testOptions is zero outside tests.
type tooljetProvider struct {
	version     string
	testOptions testOptions
}

// testOptions change the provider's behaviour in tests only.
type testOptions struct {
	// disableWriteLock turns off the lock that serialises writes to the
	// instance SSO object, to show that concurrent writes then lose updates.
	disableWriteLock bool
}

// providerModel is the provider configuration.
type providerModel struct {
	Host               types.String `tfsdk:"host"`
	Email              types.String `tfsdk:"email"`
	Password           types.String `tfsdk:"password"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
	MaxRetryWait       types.String `tfsdk:"max_retry_wait"`
	CACertPEM          types.String `tfsdk:"ca_cert_pem"`
	CACertFile         types.String `tfsdk:"ca_cert_file"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	StrictGroupTargets types.Bool   `tfsdk:"strict_group_targets"`
}

// providerData is what Configure hands to every resource, data source and
// function.
type providerData struct {
	client             *client.Client
	store              *ssostate.Store
	registry           *planRegistry
	strictGroupTargets bool
}

// New returns a constructor of the provider for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &tooljetProvider{version: version}
	}
}

func (p *tooljetProvider) Metadata(_ context.Context, _ provider.MetadataRequest,
	resp *provider.MetadataResponse) {
	resp.TypeName = "tooljet"
	resp.Version = p.version
}

func (p *tooljetProvider) Schema(_ context.Context, _ provider.SchemaRequest,
	resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *tooljetProvider) Configure(ctx context.Context, req provider.ConfigureRequest,
	resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings := resolveSettings(config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	httpClient, warnings := newHTTPClient(settings.tls, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, warning := range warnings {
		resp.Diagnostics.AddWarning(warning.summary, warning.detail)
	}

	c, err := client.New(client.Config{
		Host:           settings.host,
		Email:          settings.email,
		Password:       settings.password,
		HTTPClient:     httpClient,
		RequestTimeout: settings.requestTimeout,
		MaxRetries:     settings.maxRetries,
		MaxRetryWait:   settings.maxRetryWait,
		UserAgent:      "terraform-provider-tooljet/" + p.version,
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("host"), "Invalid ToolJet provider settings",
			err.Error())
		return
	}
	tflog.Debug(ctx, "Configured ToolJet client", map[string]any{
		"host": c.Host(), "max_retries": settings.maxRetries,
		"request_timeout": settings.requestTimeout.String(),
	})

	data := &providerData{
		client: c,
		store: ssostate.NewStore(c, ssostate.Options{
			DisableLock: p.testOptions.disableWriteLock,
		}),
		registry:           newPlanRegistry(),
		strictGroupTargets: settings.strictGroupTargets,
	}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *tooljetProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewInstanceOIDCResource,
		NewWorkspaceGroupSyncResource,
		NewGroupMappingResource,
		NewWorkspaceOIDCResource,
	}
}

func (p *tooljetProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewWorkspaceDataSource,
		NewGroupsDataSource,
	}
}

func (p *tooljetProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewParseGroupMappingFunction,
		NewFormatGroupMappingFunction,
	}
}

// settings are the provider settings after environment variables and
// defaults are applied.
type settings struct {
	host, email, password string
	requestTimeout        time.Duration
	maxRetries            int
	maxRetryWait          time.Duration
	strictGroupTargets    bool
	tls                   tlsSettings
}

// resolveSettings applies environment variables and defaults, and reports
// missing or invalid values on their attribute.
func resolveSettings(config providerModel, diags *diag.Diagnostics) settings {
	var s settings
	s.host = stringSetting(config.Host, envHost, "host", diags)
	s.email = stringSetting(config.Email, envEmail, "email", diags)
	s.password = stringSetting(config.Password, envPassword, "password", diags)
	if s.host != "" {
		if _, err := client.NormalizeHost(s.host); err != nil {
			diags.AddAttributeError(path.Root("host"), "Invalid ToolJet host", err.Error()+
				". Set host (or "+envHost+") to ToolJet's base URL, for example "+
				"\"https://tooljet.example.com\" or \"https://example.com/tooljet\".")
		}
	}

	s.requestTimeout = durationSetting(config.RequestTimeout, "request_timeout",
		client.DefaultRequestTimeout, diags)
	s.maxRetryWait = durationSetting(config.MaxRetryWait, "max_retry_wait",
		client.DefaultMaxRetryWait, diags)
	s.maxRetries = client.DefaultMaxRetries
	if !config.MaxRetries.IsNull() && !config.MaxRetries.IsUnknown() {
		s.maxRetries = int(config.MaxRetries.ValueInt64())
		if s.maxRetries == 0 {
			s.maxRetries = -1 // the client reads 0 as "use the default"
		}
	}
	s.strictGroupTargets = config.StrictGroupTargets.ValueBool()
	s.tls = tlsSettings{
		caCertPEM:          config.CACertPEM.ValueString(),
		caCertFile:         config.CACertFile.ValueString(),
		insecureSkipVerify: config.InsecureSkipVerify.ValueBool(),
	}
	return s
}

// stringSetting returns a required string from the configuration or, when
// it is not set there, from an environment variable.
func stringSetting(value types.String, env, attribute string, diags *diag.Diagnostics) string {
	if value.IsUnknown() {
		diags.AddAttributeError(path.Root(attribute), "Unknown ToolJet "+attribute,
			"The provider cannot connect to ToolJet because "+attribute+" depends on a value "+
				"that is known only after apply. Set it to a static value, or set "+env+".")
		return ""
	}
	if !value.IsNull() {
		if value.ValueString() == "" {
			diags.AddAttributeError(path.Root(attribute), "Empty ToolJet "+attribute,
				attribute+" is set to an empty string. Set it, or remove it and set "+env+".")
		}
		return value.ValueString()
	}
	fromEnv := os.Getenv(env)
	if strings.TrimSpace(fromEnv) == "" {
		diags.AddAttributeError(path.Root(attribute), "Missing ToolJet "+attribute,
			"The provider needs "+attribute+" to connect to ToolJet. Set "+attribute+
				" in the provider configuration or the "+env+" environment variable.")
	}
	return fromEnv
}

func durationSetting(value types.String, attribute string, fallback time.Duration,
	diags *diag.Diagnostics) time.Duration {
	if value.IsNull() || value.IsUnknown() {
		return fallback
	}
	d, err := time.ParseDuration(value.ValueString())
	if err != nil || d <= 0 {
		diags.AddAttributeError(path.Root(attribute), "Invalid "+attribute,
			"The value "+quote(value.ValueString())+" is not a positive duration. Write it "+
				"as a number with a unit, for example \"30s\" or \"2m\".")
		return fallback
	}
	return d
}
