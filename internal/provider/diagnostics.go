package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// configureData checks the value that the provider's Configure handed over.
// It is nil while Terraform validates the configuration before the provider
// is configured; the resource then has nothing to do.
func configureData(value any, diags *diag.Diagnostics) *providerData {
	if value == nil {
		return nil
	}
	data, ok := value.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; "+
				"please report it.", value))
		return nil
	}
	return data
}

// instanceWhat names the object of tooljet_instance_oidc in write errors.
const instanceWhat = "instance OIDC settings"

// modify applies op to the instance SSO object through the store. It reports
// a failure as the error of the operation ("create", "update" or "delete")
// on what, the object that the resource manages, and adds the change's
// warnings. It returns nil when the write failed.
func modify(ctx context.Context, data *providerData, operation, what string,
	op func(d *ssostate.Draft) error, diags *diag.Diagnostics) *ssostate.Result {
	labelled := func(d *ssostate.Draft) error {
		d.Label = func(id string) string { return workspaceLabel(ctx, data.store, id) }
		return op(d)
	}
	result, err := data.store.Modify(ctx, labelled)
	// The what check keeps tooljet_instance_oidc from waiting for itself.
	if err != nil && what != instanceWhat && data.registry.waitForInstanceWrite(ctx, err) {
		tflog.Debug(ctx, "Writing again after tooljet_instance_oidc finished its write")
		result, err = data.store.Modify(ctx, labelled)
	}
	if err != nil {
		var foreign *ssostate.ForeignEntriesError
		if errors.As(err, &foreign) && foreign.WorkspaceID != "" {
			foreign.WorkspaceLabel = workspaceLabel(ctx, data.store, foreign.WorkspaceID)
		}
		var colliding *ssostate.CollidingNamesError
		if errors.As(err, &colliding) {
			colliding.WorkspaceLabel = workspaceLabel(ctx, data.store, colliding.WorkspaceID)
		}
		diags.AddError(fmt.Sprintf("Unable to %s ToolJet %s", operation, what), errorDetail(err))
		return nil
	}
	addWarnings(diags, result.Warnings)
	return result
}

// addReadError reports a failed read.
func addReadError(diags *diag.Diagnostics, what string, err error) {
	diags.AddError("Unable to read ToolJet "+what, errorDetail(err))
}

func addWarnings(diags *diag.Diagnostics, warnings []ssostate.Warning) {
	for _, w := range warnings {
		diags.AddWarning(w.Summary, w.Detail)
	}
}

// errorDetail turns an error into a diagnostic detail: what to do first,
// then ToolJet's own message, which the client errors already order that way.
func errorDetail(err error) string {
	if client.IsLicenseRequired(err) {
		return "ToolJet's license does not include OpenID Connect SSO (license field " +
			"oidcEnabled), or it expired and ToolJet fell back to the basic plan, which switches " +
			"SSO and group sync off. Install a license whose plan includes OIDC, then apply " +
			"again.\n\n" + licenseErrorMessage(err)
	}
	return detailFromError(err)
}

// alreadyConfiguredError stops a create that would overwrite an instance
// OIDC configuration made outside Terraform.
type alreadyConfiguredError struct{ clientID string }

func (e *alreadyConfiguredError) Error() string {
	return fmt.Sprintf("ToolJet already has an instance OIDC configuration (client ID %q), "+
		"and creating the resource would overwrite it. To manage it with Terraform, import it: "+
		"terraform import tooljet_instance_oidc.<name> instance (or an import block with "+
		"id = \"instance\"), then apply.", e.clientID)
}

var errInstanceOIDCGone = errors.New("the instance OIDC configuration was deleted in ToolJet " +
	"while Terraform was updating it; run terraform apply again to create it")

// licenseErrorMessage is ToolJet's part of a 451 error, without the client's
// own hint, which errorDetail already gives in more words.
func licenseErrorMessage(err error) string {
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		return err.Error()
	}
	plain := *apiErr
	plain.Hint = ""
	return plain.Error()
}
