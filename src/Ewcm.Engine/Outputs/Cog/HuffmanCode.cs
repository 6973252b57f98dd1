namespace Ewcm.Engine.Outputs.Cog;

/// <summary>Length-limited canonical Huffman codes, as DEFLATE sends them (RFC 1951, 3.2.2).</summary>
internal static class HuffmanCode
{
    /// <summary>
    /// Code lengths (at most <paramref name="limit"/> bits) for symbols of the given frequencies; unused
    /// symbols get 0. At least two symbols get a code (as zlib does, so that every decoder accepts the code
    /// even when one symbol or none is used). Ties are broken by symbol: the same frequencies give the same
    /// lengths.
    /// </summary>
    internal static void Lengths(ReadOnlySpan<int> frequencies, Span<byte> lengths, int limit)
    {
        int n = frequencies.Length;
        lengths[..n].Clear();
        // Sort key: frequency, then symbol (symbols fit in 16 bits).
        Span<long> leaves = stackalloc long[n];
        int count = 0;
        for (int symbol = 0; symbol < n; symbol++)
        {
            if (frequencies[symbol] > 0)
            {
                leaves[count++] = ((long)frequencies[symbol] << 16) | (uint)symbol;
            }
        }

        for (int symbol = 0; count < 2 && symbol < n; symbol++)
        {
            if (frequencies[symbol] == 0)
            {
                leaves[count++] = (1L << 16) | (uint)symbol; // weight 1 for the tree; it is never sent
            }
        }

        leaves = leaves[..count];
        leaves.Sort();

        // Two queues (leaves in order, then internal nodes, which are made in order of weight): node i < count
        // is leaf i, node count + k is the k-th internal node; the root is made last.
        Span<long> weight = stackalloc long[(2 * count) - 1];
        Span<int> parent = stackalloc int[(2 * count) - 1];
        for (int i = 0; i < count; i++)
        {
            weight[i] = leaves[i] >> 16;
        }

        int nextLeaf = 0, nextInternal = count, made = count;
        for (; made < (2 * count) - 1; made++)
        {
            int a = TakeLightest(weight, ref nextLeaf, count, ref nextInternal, made);
            int b = TakeLightest(weight, ref nextLeaf, count, ref nextInternal, made);
            weight[made] = weight[a] + weight[b];
            parent[a] = made;
            parent[b] = made;
        }

        // Depths from the root down; leaves' depths counted per length.
        Span<int> depth = stackalloc int[(2 * count) - 1];
        depth[made - 1] = 0;
        int deepest = 0;
        for (int node = made - 2; node >= 0; node--)
        {
            depth[node] = depth[parent[node]] + 1;
        }

        Span<int> perLength = stackalloc int[Math.Max(limit, count) + 1];
        for (int leaf = 0; leaf < count; leaf++)
        {
            int d = Math.Min(depth[leaf], perLength.Length - 1);
            perLength[d]++;
            deepest = Math.Max(deepest, depth[leaf]);
        }

        if (deepest > limit)
        {
            LimitLengths(perLength, limit);
        }

        // The deepest codes go to the rarest symbols (leaves are sorted by frequency, rarest first).
        int next = 0;
        for (int length = perLength.Length - 1; length >= 1; length--)
        {
            for (int k = 0; k < perLength[length]; k++)
            {
                lengths[(int)(leaves[next++] & 0xFFFF)] = (byte)length;
            }
        }
    }

    /// <summary>
    /// Canonical codes of the lengths (RFC 1951, 3.2.2), bit-reversed for DEFLATE's least-significant-bit-first
    /// packing.
    /// </summary>
    internal static void Codes(ReadOnlySpan<byte> lengths, Span<ushort> codes)
    {
        Span<int> perLength = stackalloc int[16];
        foreach (byte length in lengths)
        {
            perLength[length]++;
        }

        perLength[0] = 0;
        Span<int> next = stackalloc int[16];
        int code = 0;
        for (int length = 1; length < 16; length++)
        {
            code = (code + perLength[length - 1]) << 1;
            next[length] = code;
        }

        for (int symbol = 0; symbol < lengths.Length; symbol++)
        {
            int length = lengths[symbol];
            codes[symbol] = length == 0 ? (ushort)0 : Reverse(next[length]++, length);
        }
    }

    /// <summary>
    /// Moves codes deeper than <paramref name="limit"/> up to it, then restores Kraft's equality by taking one
    /// code off the limit and splitting a shallower code into two, until the code is complete again.
    /// </summary>
    private static void LimitLengths(Span<int> perLength, int limit)
    {
        for (int length = limit + 1; length < perLength.Length; length++)
        {
            perLength[limit] += perLength[length];
            perLength[length] = 0;
        }

        long total = 0;
        for (int length = 1; length <= limit; length++)
        {
            total += (long)perLength[length] << (limit - length);
        }

        for (; total > 1L << limit; total--)
        {
            perLength[limit]--;
            for (int length = limit - 1; length >= 1; length--)
            {
                if (perLength[length] > 0)
                {
                    perLength[length]--;
                    perLength[length + 1] += 2;
                    break;
                }
            }
        }
    }

    private static int TakeLightest(Span<long> weight, ref int nextLeaf, int leaves, ref int nextInternal, int made)
    {
        // A leaf wins ties: shallower trees, and a fixed rule keeps the result deterministic.
        bool leaf = nextLeaf < leaves && (nextInternal >= made || weight[nextLeaf] <= weight[nextInternal]);
        return leaf ? nextLeaf++ : nextInternal++;
    }

    private static ushort Reverse(int code, int length)
    {
        int reversed = 0;
        for (int i = 0; i < length; i++)
        {
            reversed = (reversed << 1) | ((code >> i) & 1);
        }

        return (ushort)reversed;
    }
}
