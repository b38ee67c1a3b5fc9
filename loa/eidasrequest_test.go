package loa

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// spec-digest §2.1: each eIDAS RequestedAuthnContext rule, passing and failing.
func TestValidateEIDASRequest(t *testing.T) {
	r := newRegistry(t, niasConfig())
	national, err := r.ParseClassRef("http://service.memberstate.ms/NotNotified/LoA/low")
	require.NoError(t, err)
	low, sub, high := Notified(Low), Notified(Substantial), Notified(High)
	nnLow, nnSub := NotNotified(Low), NotNotified(Substantial)
	min, exact := ComparisonMinimum, ComparisonExact

	tests := []struct {
		name   string
		cmp    Comparison
		levels []Level
		rule   Rule // 0 = valid
	}{
		// RuleAtLeastOne
		{"one notified", min, lv(sub), 0},
		{"none", min, nil, RuleAtLeastOne},
		// RuleValidLevels
		{"invalid level", exact, lv(nnLow, Level{}), RuleValidLevels},
		{"invalid level before duplicate", exact, lv(nnLow, nnLow, Level{}), RuleValidLevels},
		// RuleNoDuplicates
		{"distinct non-notified", exact, lv(nnLow, nnSub), 0},
		{"duplicate notified", min, lv(high, high), RuleNoDuplicates},
		{"duplicate non-notified", exact, lv(nnLow, nnLow), RuleNoDuplicates},
		// RuleComparison
		{"minimum supported", min, lv(low), 0},
		{"better unsupported", ComparisonBetter, lv(low), RuleComparison},
		{"maximum unsupported", ComparisonMaximum, lv(nnLow), RuleComparison},
		// RuleSingleNotified
		{"two notified minimum", min, lv(low, high), RuleSingleNotified},
		{"three notified exact", exact, lv(low, sub, high), RuleSingleNotified},
		// RuleNotifiedMinimum
		{"one notified exact", exact, lv(high), RuleNotifiedMinimum},
		// RuleNotNotifiedExact
		{"non-notified exact", exact, lv(nnSub), 0},
		{"national counts as non-notified", exact, lv(national), 0},
		{"non-notified minimum", min, lv(nnSub), RuleNotNotifiedExact},
		{"mixed minimum", min, lv(nnLow, high), RuleNotNotifiedExact},
		{"national minimum", min, lv(national), RuleNotNotifiedExact},
		// RuleClosedUpward
		{"mixed high", exact, lv(nnLow, high), 0},
		{"mixed high substantial", exact, lv(nnLow, sub, high), 0},
		{"mixed all three", exact, lv(low, nnSub, sub, high), 0},
		{"mixed substantial only", exact, lv(nnLow, sub), RuleClosedUpward},
		{"mixed low high", exact, lv(nnLow, low, high), RuleClosedUpward},
		{"mixed low only", exact, lv(national, low), RuleClosedUpward},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateEIDASRequest(Requested{Comparison: tt.cmp, Levels: tt.levels})
			if tt.rule == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidRequest)
			var re *RequestError
			require.True(t, errors.As(err, &re))
			require.Equal(t, tt.rule, re.Rule)
			require.True(t, strings.HasPrefix(err.Error(), "loa: eIDAS RequestedAuthnContext: "+tt.rule.String()))
		})
	}
}

// Legacy and v1.2 spellings of one non-notified level are one level.
func TestValidateEIDASRequestLegacyDuplicate(t *testing.T) {
	req, err := newRegistry(t, RegistryConfig{}).ParseRequested("exact",
		[]string{EIDASNotNotifiedLow, EIDASLegacyNotNotifiedLow})
	require.NoError(t, err)
	var re *RequestError
	require.True(t, errors.As(ValidateEIDASRequest(req), &re))
	require.Equal(t, RuleNoDuplicates, re.Rule)
	require.Equal(t, NotNotified(Low), re.Level)
	require.Contains(t, re.Error(), "eIDAS non-notified low")
}

func TestRuleString(t *testing.T) {
	seen := map[string]bool{}
	for r := RuleAtLeastOne; r <= RuleClosedUpward; r++ {
		s := r.String()
		require.NotEqual(t, "unknown rule", s)
		require.False(t, seen[s], "duplicate description %q", s)
		seen[s] = true
	}
	require.Equal(t, "unknown rule", Rule(0).String())
}
