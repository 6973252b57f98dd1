namespace Ewcm.Engine.Coverage;

/// <summary>
/// One geometry in one of its partial cells: the exact fraction of the cell it covers and its boundary
/// inside the cell, which together determine the geometry within the cell exactly (<see cref="CellOverlay"/>).
/// It refers to the geometry's <see cref="BandCoverage"/>, so it is valid until that coverage is refilled
/// for the next band.
/// </summary>
public readonly struct PartialCell
{
    private readonly BandCoverage _geometry;
    private readonly int _span;

    internal PartialCell(BandCoverage geometry, int span)
    {
        _geometry = geometry;
        _span = span;
    }

    /// <summary>Covered fraction of the cell, in (0, 1).</summary>
    public double Fraction => _geometry.ValueAt(_span);

    /// <summary>The geometry's boundary inside the cell, in ring order.</summary>
    public ReadOnlySpan<CellPiece> Pieces => _geometry.PiecesOf(_span);
}
