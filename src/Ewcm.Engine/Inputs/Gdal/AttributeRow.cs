using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// The requested attribute values of one feature. All rows of a layer share one key table, so a
/// layer of a million features costs one string array per feature, not one dictionary.
/// </summary>
internal sealed class AttributeRow : IReadOnlyDictionary<string, string?>
{
    private readonly AttributeKeys _keys;
    private readonly string?[] _values;

    internal AttributeRow(AttributeKeys keys, string?[] values)
    {
        _keys = keys;
        _values = values;
    }

    public string? this[string key] =>
        _keys.Index.TryGetValue(key, out int i) ? _values[i] : throw new KeyNotFoundException($"The attribute '{key}' was not requested.");

    public IEnumerable<string> Keys => _keys.Names;

    public IEnumerable<string?> Values => _values;

    public int Count => _values.Length;

    public bool ContainsKey(string key) => _keys.Index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        if (_keys.Index.TryGetValue(key, out int i))
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (int i = 0; i < _values.Length; i++)
        {
            yield return new KeyValuePair<string, string?>(_keys.Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The requested field names (exactly as requested) and their positions in every <see cref="AttributeRow"/>.</summary>
internal sealed class AttributeKeys
{
    internal AttributeKeys(IReadOnlyList<string> names)
    {
        Names = [.. names];
        Index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
        {
            Index[Names[i]] = i;
        }
    }

    internal string[] Names { get; }

    internal Dictionary<string, int> Index { get; }
}
