// keyboard shortcuts: added below
