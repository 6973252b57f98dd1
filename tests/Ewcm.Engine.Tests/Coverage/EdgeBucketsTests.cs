using Ewcm.Engine.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Tests.Coverage;

/// <summary>The band index: each band lists, per geometry, exactly its segments reaching into the band, in ring order.</summary>
public class EdgeBucketsTests
{
    private static readonly WKTReader Wkt = new();

    // A comb whose teeth enter and leave bands of 4 rows many times, a segment spanning several bands, parts
    // above and below the grid (rows 0-20), a hole, a horizontal edge on a band line, and a second geometry.
    private static readonly Geometry[] Geometries =
    [
        Wkt.Read("MULTIPOLYGON(((1 -3, 2 9, 3 1, 4 9, 5 1, 6 17.5, 7 1, 8 26, 9 -2, 1 -3), (5.5 3, 6 2, 6.2 5, 5.5 3)), ((10 4, 12 4, 12 12, 11 8, 10 12, 10 4)))"),
        Wkt.Read("POLYGON((0 22, 3 22, 3 25, 0 25, 0 22))"),
        Wkt.Read("POLYGON((2 3, 14 3.5, 13 7, 2 3))"),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_band_lists_the_segments_reaching_into_it_in_ring_order(int threads)
    {
        const int rows = 20, bandHeight = 4;
        var edges = new EdgeBuckets(Geometries, rows, bandHeight, threads);

        Assert.Equal(5, edges.BandCount);
        long listed = 0;
        for (int band = 0; band < edges.BandCount; band++)
        {
            var expectedIds = new List<int>();
            for (int id = 0; id < Geometries.Length; id++)
            {
                var all = new List<Segment>();
                GridEdges.Append(Geometries[id], all);
                Segment[] expected = [.. all.Where(s => Reaches(s, band, bandHeight, rows))];
                if (expected.Length == 0)
                {
                    continue;
                }

                int i = expectedIds.Count;
                expectedIds.Add(id);
                Assert.Equal(expected, edges.SegmentsOf(band, i).ToArray());
                listed += expected.Length;
            }

            Assert.Equal(expectedIds, edges.GeometriesIn(band).ToArray());
        }

        Assert.Equal(listed, edges.SegmentCount);
        Assert.DoesNotContain(1, edges.GeometriesIn(4).ToArray()); // wholly below the grid
    }

    [Fact]
    public void A_boundary_that_leaves_and_reenters_a_band_gives_one_run_per_visit()
    {
        // Three teeth reach down into band 1 (rows 4-8); their flat tops between them stay in band 0.
        var comb = Wkt.Read("POLYGON((0 0, 1 6, 1.2 3, 1.8 3, 2 6, 2.2 3, 2.8 3, 3 6, 4 0, 0 0))");
        var edges = new EdgeBuckets([comb], 12, 4);

        SegmentRuns band1 = edges.SegmentsOf(1, 0);
        Assert.Equal(3, band1.Count);
        Assert.Equal(6, band1.ToArray().Length);
        // Band 0: every segment but the closing edge, which lies on the grid's top line (v = 0): one run of 8.
        Assert.Equal(1, edges.SegmentsOf(0, 0).Count);
        Assert.Equal(8, edges.SegmentsOf(0, 0).ToArray().Length);
    }

    /// <summary>The band range a segment reaches into, as the rasterizer needs it (rows [b·h, (b+1)·h)).</summary>
    private static bool Reaches(Segment s, int band, int bandHeight, int rows)
    {
        double vmin = Math.Min(s.V0, s.V1), vmax = Math.Max(s.V0, s.V1);
        if (vmax <= 0 || vmin >= rows)
        {
            return false;
        }

        int b0 = Math.Max(0, (int)Math.Floor(vmin / bandHeight));
        int b1 = (int)Math.Floor(Math.Min(vmax, rows - 1e-9) / bandHeight);
        return band >= b0 && band <= b1;
    }
}
