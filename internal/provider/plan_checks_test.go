package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

func TestWarnSecretUnreadable(t *testing.T) {
	objectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String}}
	value := func(a string) tftypes.Value {
		return tftypes.NewValue(objectType, map[string]tftypes.Value{
			"a": tftypes.NewValue(tftypes.String, a),
		})
	}
	absent := tftypes.NewValue(objectType, nil)
	tests := []struct {
		name         string
		prior, plan  tftypes.Value
		secret       string
		instanceSets bool
		want         int
	}{
		{"create with the secret hidden", absent, value("x"), "", false, 1},
		{"update with the secret hidden", value("x"), value("y"), "", false, 1},
		{"secret readable", absent, value("x"), "stored", false, 0},
		{"instance stores a secret", absent, value("x"), "", true, 0},
		{"no change", value("x"), value("x"), "", false, 0},
		{"destroy", value("x"), absent, "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := &providerData{registry: newPlanRegistry()}
			if tt.instanceSets {
				data.registry.addInstance(&plannedInstance{setsSecret: true})
			}
			pc := &planContext{snap: &ssostate.Snapshot{ClientID: "client", ClientSecret: tt.secret}}
			req := resource.ModifyPlanRequest{
				Plan:  tfsdk.Plan{Raw: tt.plan},
				State: tfsdk.State{Raw: tt.prior},
			}
			var diags diag.Diagnostics

			warnSecretUnreadable(req, data, pc, &diags)

			if got := diags.WarningsCount(); got != tt.want {
				t.Errorf("warnings = %d, want %d", got, tt.want)
			}
		})
	}
}
