using System.Buffers.Binary;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Ipc;

/// <summary>
/// The C structures of the vbus protocol as they travel in the message registers (kernkonzept/io
/// <c>libvbus/include/vbus_types.h</c>, 64-bit words): <c>l4vbus_resource_t</c> (40 bytes, aligned to 8:
/// type u16, flags u16, start, end, provider handle, id u32) and <c>l4vbus_device_t</c> (76 bytes, aligned
/// to 4: interface type bits u32, name[64], num_resources u32, flags u32).
/// </summary>
public static class VbusWire
{
    /// <summary><c>sizeof(l4vbus_resource_t)</c>.</summary>
    public const int ResourceSize = 40;

    /// <summary><c>alignof(l4vbus_resource_t)</c>.</summary>
    public const int ResourceAlign = 8;

    /// <summary><c>sizeof(l4vbus_device_t)</c>.</summary>
    public const int DeviceSize = 76;

    /// <summary><c>alignof(l4vbus_device_t)</c>.</summary>
    public const int DeviceAlign = 4;

    /// <summary><c>L4VBUS_DEV_NAME_LEN</c>.</summary>
    public const int NameLength = 64;

    /// <summary>Writes an <c>l4vbus_resource_t</c>.</summary>
    public static void Write(ref IpcWriter w, in VbusResource r)
    {
        var b = w.Bytes(ResourceSize, ResourceAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)r.Resource.Type);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], r.Resource.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], r.Resource.Start);
        BinaryPrimitives.WriteUInt64LittleEndian(b[16..], r.Resource.End);
        BinaryPrimitives.WriteInt64LittleEndian(b[24..], r.Provider.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(b[32..], r.Resource.Id.Raw);
    }

    /// <summary>Reads an <c>l4vbus_resource_t</c>; false when the message is too short.</summary>
    public static bool TryRead(ref IpcReader r, out VbusResource resource)
    {
        resource = default;
        if (!r.TryBytes(ResourceSize, ResourceAlign, out var b))
            return false;
        var res = new Resource((ResourceType)BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), BinaryPrimitives.ReadUInt64LittleEndian(b[16..]),
            new ResourceId(BinaryPrimitives.ReadUInt32LittleEndian(b[32..])));
        resource = new VbusResource(res, new VbusDeviceHandle(BinaryPrimitives.ReadInt64LittleEndian(b[24..])));
        return true;
    }

    /// <summary>Writes an <c>l4vbus_device_t</c> (the name cut to 63 bytes and zero-terminated).</summary>
    public static void Write(ref IpcWriter w, in VbusDeviceInfo info)
    {
        var b = w.Bytes(DeviceSize, DeviceAlign);
        BinaryPrimitives.WriteUInt32LittleEndian(b, info.InterfaceType);
        var n = Math.Min(info.Name.Length, NameLength - 1);
        for (var i = 0; i < n; i++)
            b[4 + i] = info.Name[i] <= 0x7f ? (byte)info.Name[i] : (byte)'?';
        BinaryPrimitives.WriteUInt32LittleEndian(b[68..], (uint)info.ResourceCount);
        BinaryPrimitives.WriteUInt32LittleEndian(b[72..], info.Flags);
    }

    /// <summary>Reads an <c>l4vbus_device_t</c> for device <paramref name="handle"/>; false when the message is too short.</summary>
    public static bool TryRead(ref IpcReader r, VbusDeviceHandle handle, out VbusDeviceInfo info)
    {
        info = default;
        if (!r.TryBytes(DeviceSize, DeviceAlign, out var b))
            return false;
        var name = b.Slice(4, NameLength);
        var end = name.IndexOf((byte)0);
        var text = System.Text.Encoding.ASCII.GetString(end < 0 ? name : name[..end]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(b[72..]);
        info = new VbusDeviceInfo(handle, text, (int)BinaryPrimitives.ReadUInt32LittleEndian(b[68..]),
            (flags & VbusDeviceInfo.FlagChildren) != 0, BinaryPrimitives.ReadUInt32LittleEndian(b));
        return true;
    }
}
