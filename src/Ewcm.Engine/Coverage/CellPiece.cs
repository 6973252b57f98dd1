namespace Ewcm.Engine.Coverage;

/// <summary>
/// A piece of a geometry's boundary inside one cell, in the cell's own coordinates: x = u − column and
/// y = v − row, both within [0, 1] (the cell is the unit square). Directed as the rings of
/// <see cref="GridEdges"/>: the geometry lies to the right, so a piece running toward +y has it on its
/// +x side.
/// </summary>
public readonly record struct CellPiece(double X0, double Y0, double X1, double Y1);
