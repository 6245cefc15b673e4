package explain

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
)

// corpusBar is what explain must keep on the corpus's tuning set (the set
// its thresholds are chosen on): the planted cause first and in the top 3,
// and controls with no forbidden hint in their top 3. Raise it as explain
// improves; the validation set is reported beside it, never tuned on.
var corpusBar = corpusScore{first: 57, top3: 57, clean: 33}

type corpusScore struct {
	planted, first, top3, pass, controls, clean int
}

// corpusLabel is one row of fixtures/corpus/labels.tsv.
type corpusLabel struct {
	path, set, cause string
	mustNot          []string
}

func readCorpusLabels(t *testing.T) []corpusLabel {
	f, err := os.Open("../fixtures/corpus/labels.tsv")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	var header []string
	var out []corpusLabel
	for n := 1; sc.Scan(); n++ {
		cols := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = cols
			continue
		}
		if len(cols) == 1 && cols[0] == "" {
			continue
		}
		require.Len(t, cols, len(header), "labels.tsv:%d", n)
		row := map[string]string{}
		for i, h := range header {
			row[h] = cols[i]
		}
		l := corpusLabel{path: row["path"], set: row["set"], cause: row["cause"]}
		if row["must_not"] != "-" {
			l.mustNot = strings.Split(row["must_not"], ",")
		}
		out = append(out, l)
	}
	require.NoError(t, sc.Err())
	return out
}

// TestCorpusLabels scores explain against the labeled corpus as
// fixtures/corpus/score.py does: the tuning set must hold corpusBar; every
// set's numbers are logged (go test -run TestCorpusLabels -v). The holdout,
// holdout2, holdout3, holdout4, holdout5 and holdout6 sets (programs recorded
// after tuning, issue 7; holdout2 once holdout had been looked at, holdout3
// once holdout2 had, holdout4 once holdout3 had, holdout5 once holdout4 had,
// holdout6 once holdout5 had) are
// logged and never asserted: a bar on them would turn them into more tuning
// sets.
func TestCorpusLabels(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	labels := readCorpusLabels(t)
	require.NotEmpty(t, labels)
	scores := map[string]*corpusScore{}
	for _, l := range labels {
		path := filepath.Join("../fixtures/corpus", l.path)
		p := loadQuiet(path)
		require.NotNil(t, p, "%s does not load", l.path)
		r, err := Explain(p, cat, Options{Path: path, Value: -1})
		require.NoError(t, err, l.path)
		got := topHints(r, 3)
		var bad []string
		for _, h := range got {
			if slices.Contains(l.mustNot, h) {
				bad = append(bad, h)
			}
		}
		s := scores[l.set]
		if s == nil {
			s = &corpusScore{}
			scores[l.set] = s
		}
		if l.cause == "none" {
			s.controls++
			if len(bad) == 0 {
				s.clean++
			} else {
				t.Logf("%s: control gets %v (forbidden %v)", l.path, got, bad)
			}
			continue
		}
		s.planted++
		first := len(got) > 0 && got[0] == l.cause
		in3 := slices.Contains(got, l.cause)
		if first {
			s.first++
		}
		if in3 {
			s.top3++
			if len(bad) == 0 {
				s.pass++
			}
		}
		if !first {
			t.Logf("%s: planted %s, got %v", l.path, l.cause, got)
		}
	}
	for _, set := range []string{"tuning", "validation", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6"} {
		s := scores[set]
		if (set == "holdout" || set == "holdout2" || set == "holdout3" || set == "holdout4" || set == "holdout5" || set == "holdout6") && s == nil {
			continue
		}
		require.NotNil(t, s, "no %s rows in labels.tsv", set)
		t.Logf("%s: planted cause first %d/%d, in top 3 %d/%d, in top 3 with no forbidden hint %d/%d; controls clean %d/%d",
			set, s.first, s.planted, s.top3, s.planted, s.pass, s.planted, s.clean, s.controls)
	}
	tune := scores["tuning"]
	assert.GreaterOrEqual(t, tune.first, corpusBar.first, "tuning set: planted cause first")
	assert.GreaterOrEqual(t, tune.top3, corpusBar.top3, "tuning set: planted cause in the top 3")
	assert.GreaterOrEqual(t, tune.clean, corpusBar.clean, "tuning set: clean controls")
}
