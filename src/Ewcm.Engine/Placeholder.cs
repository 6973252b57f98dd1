namespace Ewcm.Engine; internal static class Placeholder { }
