using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Which factory creates the device for a node (uvmm: the <c>Vdev::Device_type</c> list): entries are keyed by
/// a <c>compatible</c> string and optionally an <c>l4vmm,vdev</c> type. For each of the node's compatible
/// strings in order, an entry with a matching <c>l4vmm,vdev</c> wins over one without; an entry with a vdev
/// type never matches a node that lacks or differs in <c>l4vmm,vdev</c>.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly Dictionary<(string Compatible, string? Vdev), IDeviceFactory> _factories = [];

    /// <summary>The factory for physical (pass-through) devices, tried for nodes no entry matches; null when
    /// pass-through is not available (such nodes are disabled).</summary>
    public IDeviceFactory? PassThrough { get; set; }

    /// <summary>The registered keys.</summary>
    public IEnumerable<(string Compatible, string? Vdev)> Keys => _factories.Keys;

    /// <summary>Registers a factory.</summary>
    /// <param name="compatible">The compatible string, e.g. <c>ns16550a</c>.</param>
    /// <param name="factory">The factory.</param>
    /// <param name="vdev">The required <c>l4vmm,vdev</c> value, or null for any.</param>
    /// <exception cref="InvalidOperationException">The key is already registered.</exception>
    public DeviceRegistry Register(string compatible, IDeviceFactory factory, string? vdev = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd((compatible, vdev), factory))
            throw new InvalidOperationException($"a factory for compatible '{compatible}'{(vdev is null ? "" : $", l4vmm,vdev '{vdev}'")} is already registered");
        return this;
    }

    /// <summary>Whether a factory is registered for exactly this key.</summary>
    /// <param name="compatible">The compatible string.</param>
    /// <param name="vdev">The <c>l4vmm,vdev</c> value, or null.</param>
    public bool IsRegistered(string compatible, string? vdev = null) => _factories.ContainsKey((compatible, vdev));

    /// <summary>Registers a factory delegate.</summary>
    /// <param name="compatible">The compatible string.</param>
    /// <param name="create">The creation function.</param>
    /// <param name="vdev">The required <c>l4vmm,vdev</c> value, or null for any.</param>
    public DeviceRegistry Register(string compatible, Func<IDeviceLookup, DtNode, IVmDevice?> create, string? vdev = null) =>
        Register(compatible, new DelegateDeviceFactory(create), vdev);

    /// <summary>The factory for a node (uvmm <c>Factory::find_factory</c>), or null.</summary>
    /// <param name="node">The node.</param>
    /// <exception cref="DeviceTreeException">The node's <c>compatible</c> or <c>l4vmm,vdev</c> is malformed.</exception>
    public IDeviceFactory? Find(DtNode node)
    {
        var compatible = node.Compatible;
        if (compatible.Count == 0)
            return null;
        var vdev = node.FindProperty("l4vmm,vdev") is { } p ? p.GetStringList().FirstOrDefault() : null;
        foreach (var c in compatible)
        {
            if (vdev is not null && _factories.TryGetValue((c, vdev), out var specific))
                return specific;
            if (_factories.TryGetValue((c, null), out var generic))
                return generic;
        }
        return null;
    }

    /// <summary>True when a registered factory matches the node (uvmm <c>Factory::is_vdev</c>).</summary>
    /// <param name="node">The node.</param>
    public bool IsVirtual(DtNode node) => Find(node) is not null;
}
