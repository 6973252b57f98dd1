namespace Ewcm.Engine.Native.Gdal;

/// <summary>A vector layer borrowed from an open <see cref="GdalDataset"/>.</summary>
internal sealed class OgrLayer
{
    private readonly GdalDataset _owner;

    internal OgrLayer(GdalDataset owner, IntPtr layer)
    {
        _owner = owner;
        Pointer = layer;
    }

    /// <summary>The raw OGRLayerH, for the other wrappers in this folder only.</summary>
    internal IntPtr Pointer { get; }

    internal string Path => _owner.Path;

    internal string Name
    {
        get
        {
            string? name = GdalNative.Utf8(GdalNative.OGR_L_GetName(Pointer));
            GC.KeepAlive(_owner);
            return name ?? "";
        }
    }

    /// <summary>Own copy of the layer's CRS (traditional axis order), or null when the layer has none.</summary>
    internal SpatialReference? CloneSpatialReference()
    {
        SpatialReference? srs = SpatialReference.CloneOf(GdalNative.OGR_L_GetSpatialRef(Pointer), Path);
        GC.KeepAlive(_owner);
        return srs;
    }

    /// <summary>The attribute fields, in layer order.</summary>
    internal IReadOnlyList<OgrFieldInfo> Fields
    {
        get
        {
            IntPtr definition = GdalNative.OGR_L_GetLayerDefn(Pointer);
            int count = GdalNative.OGR_FD_GetFieldCount(definition);
            var fields = new OgrFieldInfo[count];
            for (int i = 0; i < count; i++)
            {
                IntPtr fieldDefinition = GdalNative.OGR_FD_GetFieldDefn(definition, i);
                fields[i] = new OgrFieldInfo(
                    GdalNative.Utf8(GdalNative.OGR_Fld_GetNameRef(fieldDefinition)) ?? "",
                    GdalNative.OGR_Fld_GetType(fieldDefinition));
            }

            GC.KeepAlive(_owner);
            return fields;
        }
    }

    /// <summary>Restarts <see cref="NextFeature"/> at the first feature.</summary>
    internal void ResetReading()
    {
        GdalNative.OGR_L_ResetReading(Pointer);
        GC.KeepAlive(_owner);
    }

    /// <summary>The next feature (the caller disposes it), or null at the end of the layer.</summary>
    /// <exception cref="GdalException">GDAL reported a read error (corrupt file).</exception>
    internal OgrFeature? NextFeature()
    {
        GdalError.Reset();
        FeatureHandle handle = GdalNative.OGR_L_GetNextFeature(Pointer);
        GC.KeepAlive(_owner);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            // NULL is both "end of layer" and "read error"; only an error leaves a failure behind.
            return GdalError.HasFailure ? throw GdalError.Failure(Path, $"reading layer '{Name}'") : null;
        }

        return new OgrFeature(handle, this);
    }

    /// <summary>Restricts reading to the features matching an OGR SQL WHERE clause.</summary>
    internal void SetAttributeFilter(string query)
    {
        GdalError.Reset();
        int result = GdalNative.OGR_L_SetAttributeFilter(Pointer, query);
        GC.KeepAlive(_owner);
        GdalError.CheckOgr(result, Path, $"filtering layer '{Name}' with \"{query}\"");
    }

    internal void CreateField(string name, OgrFieldType type)
    {
        GdalError.Reset();
        using FieldDefinitionHandle field = GdalError.CheckHandle(GdalNative.OGR_Fld_Create(name, type), Path, $"defining field '{name}'");
        int result = GdalNative.OGR_L_CreateField(Pointer, field, approxOk: true);
        GC.KeepAlive(_owner);
        GdalError.CheckOgr(result, Path, $"creating field '{name}' in layer '{Name}'");
    }

    /// <summary>A new, empty feature with this layer's schema; add it with <see cref="Add"/>.</summary>
    internal OgrFeature NewFeature()
    {
        GdalError.Reset();
        FeatureHandle handle = GdalNative.OGR_F_Create(GdalNative.OGR_L_GetLayerDefn(Pointer));
        GC.KeepAlive(_owner);
        return new OgrFeature(GdalError.CheckHandle(handle, Path, $"creating a feature for layer '{Name}'"), this);
    }

    /// <summary>Writes <paramref name="feature"/> to the layer (OGR_L_CreateFeature copies it).</summary>
    internal void Add(OgrFeature feature)
    {
        GdalError.Reset();
        int result = GdalNative.OGR_L_CreateFeature(Pointer, feature.Handle);
        GC.KeepAlive(_owner);
        GdalError.CheckOgr(result, Path, $"writing a feature to layer '{Name}'");
    }
}

/// <summary>Name and type of a layer attribute field.</summary>
internal readonly record struct OgrFieldInfo(string Name, OgrFieldType Type);
