package explain

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestGenRuleStacks writes, for each rule, the first real stack in the
// fixtures that the rule decides (category or context). A development aid:
// the output is reviewed and committed as testdata/rule_stacks.txt.
func TestGenRuleStacks(t *testing.T) {
	out := os.Getenv("HOTSPOT_GEN_RULES")
	if out == "" {
		t.Skip("set HOTSPOT_GEN_RULES=file")
	}
	var files []string
	for _, root := range []string{"../fixtures", "../../shared/fixtures"} {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || strings.Contains(p, "conformance") || strings.Contains(p, "workloads") || strings.Contains(p, "invalid") || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".sh") || strings.HasSuffix(p, ".tsv") {
				return nil
			}
			files = append(files, p)
			return nil
		})
	}
	// Prefer inputs that carry modules and kinds (perf, py-spy, pprof,
	// dhat) over folded stacks, which carry names only.
	sort.SliceStable(files, func(i, j int) bool {
		fi, fj := strings.Contains(files[i], "folded"), strings.Contains(files[j], "folded")
		if fi != fj {
			return !fi
		}
		return files[i] < files[j]
	})
	found := map[string]bool{}
	var b strings.Builder
	for _, f := range files {
		p := loadQuiet(f)
		if p == nil {
			continue
		}
		c := newClassifier(p, DefaultRules())
		for _, s := range p.Samples {
			cl := c.classifyNode(s.Node)
			for _, id := range []string{cl.Rule, cl.CtxRule} {
				if id == "" || found[id] {
					continue
				}
				found[id] = true
				stack := p.Stack(s.Node)
				fmt.Fprintf(&b, "\nrule %s %s ctx=%s\nfixture %s\n", id, cl.Cat, orDash(string(cl.Ctx)), strings.TrimPrefix(strings.TrimPrefix(f, "../../shared/"), "../"))
				for j := len(stack) - 1; j >= 0; j-- {
					fr := p.Frames[stack[j]]
					fmt.Fprintf(&b, "\t%s\t%s\t%s\t%s\n", fr.Kind, fr.Display, fr.Module, fr.File)
				}
			}
		}
	}
	os.WriteFile(out, []byte(b.String()), 0o644)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
