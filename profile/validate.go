package profile

import "fmt"

// Validate checks the model's invariants: every reference resolves, every
// sample has one value per value type, values are not negative, and no
// total overflows. Importers call it before returning.
func (p *Profile) Validate() error {
	nt := len(p.SampleTypes)
	if nt == 0 {
		return fmt.Errorf("no value types")
	}
	if p.DefaultType < 0 || p.DefaultType >= nt {
		return fmt.Errorf("default value type %d out of range (%d types)", p.DefaultType, nt)
	}
	for i, t := range p.SampleTypes {
		if t.Type == "" {
			return fmt.Errorf("value type %d has no name", i)
		}
		if t.Scale < 0 {
			return fmt.Errorf("value type %q has negative scale %d", t.Type, t.Scale)
		}
	}
	if len(p.Nodes) == 0 || p.Nodes[0].Frame != NoFrame {
		return fmt.Errorf("call tree has no root")
	}
	for i, n := range p.Nodes {
		if i == 0 {
			continue
		}
		if n.Frame < 0 || int(n.Frame) >= len(p.Frames) {
			return fmt.Errorf("node %d: frame %d out of range (%d frames)", i, n.Frame, len(p.Frames))
		}
		if n.Parent < 0 || int(n.Parent) >= i {
			return fmt.Errorf("node %d: parent %d is not an earlier node", i, n.Parent)
		}
	}
	sum := make([]int64, nt)
	for i, s := range p.Samples {
		if s.Node < 0 || int(s.Node) >= len(p.Nodes) {
			return fmt.Errorf("sample %d: node %d out of range", i, s.Node)
		}
		if len(s.Values) != nt {
			return fmt.Errorf("sample %d: %d values for %d value types", i, len(s.Values), nt)
		}
		if s.Count < 0 {
			return fmt.Errorf("sample %d: negative count %d", i, s.Count)
		}
		if s.Labels == nil {
			return fmt.Errorf("sample %d: no label set", i)
		}
		for j, v := range s.Values {
			if v < 0 {
				return fmt.Errorf("sample %d: negative %s value %d", i, p.SampleTypes[j].Type, v)
			}
			if sum[j]+v < sum[j] {
				return fmt.Errorf("sample %d: %s total overflows int64", i, p.SampleTypes[j].Type)
			}
			sum[j] += v
		}
	}
	if p.Graph != nil {
		return p.Graph.validate(p)
	}
	return nil
}
